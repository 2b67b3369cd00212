export { bytedanceAdapterFactory } from './bytedance.factory.js';
export { BytedanceAdapter } from './bytedance.adapter.js';
export { BytedanceSandbox, type BytedanceSandboxOptions } from './sandbox/bytedance-sandbox.js';
export { bytedanceConformanceHarness } from './bytedance.harness.js';
export type { BytedanceCredentials, BytedanceCallbackSecrets } from './bytedance.credentials.js';
export { BYTEDANCE_PROFILE, BYTEDANCE_CAPABILITIES, BYTEDANCE_PRODUCTION_BASE_URL } from './bytedance.profile.js';
