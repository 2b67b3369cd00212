export { baiduAdapterFactory } from './baidu.factory.js';
export { BaiduAdapter } from './baidu.adapter.js';
export { BaiduSandbox, type BaiduSandboxOptions } from './sandbox/baidu-sandbox.js';
export { baiduConformanceHarness } from './baidu.harness.js';
export type { BaiduCredentials, BaiduCallbackSecrets } from './baidu.credentials.js';
export { checkBaiduCredentials } from './baidu.credentials.js';
export { BAIDU_PROFILE, BAIDU_CAPABILITIES, BAIDU_PRODUCTION_BASE_URL } from './baidu.profile.js';
