import type { CallbackSecrets } from '../core/index.js';

/** What the gateway keeps per merchant smart program authorized to our Baidu TP (alipay-baidu-bytedance.md B1). */
export interface BaiduCredentials {
  /** The TP's key, sent as `client_id` to the TP token endpoint (B1 #2). */
  tpClientId: string;
  /** The latest pushed ticket (B1 #1, every 10 min); the gateway keeps it current from TICKET events. */
  ticket: string;
  /** The merchant's smart program app id. */
  appId: string;
  /**
   * The refresh token from the authorization-code exchange (B1 #5). Single use: the adapter
   * stores each rotated one in the TokenStore and prefers it over this initial value.
   */
  refreshToken: string;
}

/** Platform-level secrets for push verification and decryption (B4). */
export interface BaiduCallbackSecrets extends CallbackSecrets {
  tpAppId: string;
  token: string;
  encodingAesKey: string;
}

// Baidu smart program app ids are numeric in every doc example (B1 #8).
const APP_ID = /^\d{4,20}$/;
const NO_SPACE = /^\S+$/;

export function checkBaiduCredentials(credentials: unknown): string[] {
  if (typeof credentials !== 'object' || credentials === null) return ['credentials must be an object'];
  const c = credentials as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of ['tpClientId', 'ticket', 'appId', 'refreshToken'] as const) {
    const v = c[field];
    if (typeof v !== 'string' || v.trim() === '') problems.push(`${field} must be a non-empty string`);
    else if (!NO_SPACE.test(v)) problems.push(`${field} must not contain spaces`);
    else if (field === 'appId' && !APP_ID.test(v)) problems.push('appId must be a numeric Baidu app id');
  }
  return problems;
}

export function checkBaiduCallbackSecrets(secrets: CallbackSecrets): string[] {
  const problems: string[] = [];
  if (!secrets.tpAppId || !NO_SPACE.test(secrets.tpAppId)) problems.push('tpAppId must be a non-empty string');
  if (!secrets.token) problems.push('token must be a non-empty string');
  // B4: EncodingAESKey is 43 characters of [a-zA-Z0-9].
  if (!/^[a-zA-Z0-9]{43}$/.test(secrets.encodingAesKey ?? '')) problems.push('encodingAesKey must be 43 letters or digits');
  return problems;
}
