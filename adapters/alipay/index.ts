export { alipayAdapterFactory } from './alipay.factory.js';
export { AlipayAdapter } from './alipay.adapter.js';
export { AlipaySandbox, type AlipaySandboxOptions } from './sandbox/alipay-sandbox.js';
export { alipayConformanceHarness } from './alipay.harness.js';
export type { AlipayCredentials, AlipayCallbackSecrets } from './alipay.credentials.js';
export { ALIPAY_PROFILE, ALIPAY_CAPABILITIES, ALIPAY_PRODUCTION_BASE_URL } from './alipay.profile.js';
