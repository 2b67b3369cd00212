import { defineHostAdapterFactory } from '../core/index.js';
import { BytedanceAdapter } from './bytedance.adapter.js';
import { checkBytedanceCredentials, type BytedanceCredentials } from './bytedance.credentials.js';
import { BYTEDANCE_PROFILE } from './bytedance.profile.js';

export const bytedanceAdapterFactory = defineHostAdapterFactory<BytedanceCredentials>({
  hostId: 'BYTEDANCE',
  label: 'Douyin',
  profile: BYTEDANCE_PROFILE,
  needsTokenStore: true,
  build: (options) => new BytedanceAdapter(options),
  checkCredentials: checkBytedanceCredentials,
});
