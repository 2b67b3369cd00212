export { wechatAdapterFactory } from './wechat.factory.js';
export { WechatAdapter } from './wechat.adapter.js';
export { WechatSandbox, type WechatSandboxOptions } from './sandbox/wechat-sandbox.js';
export { wechatConformanceHarness } from './wechat.harness.js';
export type { WechatCredentials, WechatCallbackSecrets } from './wechat.credentials.js';
export { WECHAT_PROFILE, WECHAT_CAPABILITIES, WECHAT_PRODUCTION_BASE_URL } from './wechat.profile.js';
