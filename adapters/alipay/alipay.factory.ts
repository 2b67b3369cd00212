import { defineHostAdapterFactory } from '../core/index.js';
import { AlipayAdapter } from './alipay.adapter.js';
import { checkAlipayCredentials, type AlipayCredentials } from './alipay.credentials.js';
import { ALIPAY_PROFILE } from './alipay.profile.js';

export const alipayAdapterFactory = defineHostAdapterFactory<AlipayCredentials>({
  hostId: 'ALIPAY',
  label: 'Alipay',
  profile: ALIPAY_PROFILE,
  // Alipay signs every call with the app key: there is no access token to cache (A1.3).
  needsTokenStore: false,
  build: (options) => new AlipayAdapter(options),
  checkCredentials: checkAlipayCredentials,
});
