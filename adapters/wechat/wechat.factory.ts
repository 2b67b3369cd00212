import { defineHostAdapterFactory } from '../core/index.js';
import { WechatAdapter } from './wechat.adapter.js';
import { checkWechatCredentials, type WechatCredentials } from './wechat.credentials.js';
import { WECHAT_PROFILE } from './wechat.profile.js';

export const wechatAdapterFactory = defineHostAdapterFactory<WechatCredentials>({
  hostId: 'WECHAT',
  label: 'WeChat',
  profile: WECHAT_PROFILE,
  needsTokenStore: true,
  build: (options) => new WechatAdapter(options),
  checkCredentials: checkWechatCredentials,
});
