import { defineHostAdapterFactory } from '../core/index.js';
import { BaiduAdapter } from './baidu.adapter.js';
import { checkBaiduCredentials, type BaiduCredentials } from './baidu.credentials.js';
import { BAIDU_PROFILE } from './baidu.profile.js';

export const baiduAdapterFactory = defineHostAdapterFactory<BaiduCredentials>({
  hostId: 'BAIDU',
  label: 'Baidu',
  profile: BAIDU_PROFILE,
  needsTokenStore: true,
  build: (options) => new BaiduAdapter(options),
  checkCredentials: checkBaiduCredentials,
});
