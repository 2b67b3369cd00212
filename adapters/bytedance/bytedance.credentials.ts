import type { CallbackSecrets } from '../core/index.js';

/** What the gateway keeps per merchant mini-app authorized to our Douyin third-party app (alipay-baidu-bytedance.md C1). */
export interface BytedanceCredentials {
  componentAppId: string;
  componentAppSecret: string;
  /** The latest pushed ticket (`MsgType: Ticket`, every 10 min); the gateway keeps it current from TICKET events. */
  componentTicket: string;
  authorizerAppId: string;
  /**
   * From the authorization (valid 30 days, SINGLE USE, C1). The adapter stores each new one the host
   * returns in the token store and prefers it; this value is used only when the store has none.
   */
  authorizerRefreshToken: string;
}

/** Platform-level secrets for push verification (C4): 消息验证 TOKEN and EncodingAESKey. */
export interface BytedanceCallbackSecrets extends CallbackSecrets {
  componentAppId: string;
  token: string;
  encodingAesKey: string;
}

// Douyin app ids are `tt` + 16 hex digits in the docs' examples; tolerate other lengths after `tt`.
const APP_ID = /^tt[0-9a-zA-Z]{8,30}$/;

export function checkBytedanceCredentials(credentials: unknown): string[] {
  if (typeof credentials !== 'object' || credentials === null) return ['credentials must be an object'];
  const c = credentials as Record<string, unknown>;
  const problems: string[] = [];
  const str = (field: keyof BytedanceCredentials): string | null => {
    const v = c[field];
    if (typeof v === 'string' && v.trim() !== '') return v;
    problems.push(`${field} must be a non-empty string`);
    return null;
  };
  for (const field of ['componentAppId', 'authorizerAppId'] as const) {
    const v = str(field);
    if (v !== null && !APP_ID.test(v)) problems.push(`${field} must look like a Douyin app id (tt...)`);
  }
  str('componentAppSecret');
  str('componentTicket');
  str('authorizerRefreshToken');
  return problems;
}

export function checkBytedanceCallbackSecrets(secrets: CallbackSecrets): string[] {
  const problems: string[] = [];
  if (!secrets.componentAppId || !APP_ID.test(secrets.componentAppId)) problems.push('componentAppId must look like a Douyin app id (tt...)');
  if (!secrets.token) problems.push('token must be a non-empty string');
  if (!/^[a-zA-Z0-9]{43}$/.test(secrets.encodingAesKey ?? '')) problems.push('encodingAesKey must be 43 letters or digits');
  return problems;
}
