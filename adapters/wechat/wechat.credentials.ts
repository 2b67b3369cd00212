import type { CallbackSecrets } from '../core/index.js';

/** What the gateway keeps per merchant mini program authorized to our third-party platform (wechat.md §1). */
export interface WechatCredentials {
  componentAppId: string;
  componentAppSecret: string;
  /** The latest pushed ticket (valid 12 h; the gateway keeps it current from TICKET events). */
  componentVerifyTicket: string;
  authorizerAppId: string;
  /** From api_query_auth; the adapter stores any newer value the host returns in the token store. */
  authorizerRefreshToken: string;
}

/** Platform-level secrets for push verification (wechat.md §5, §6). */
export interface WechatCallbackSecrets extends CallbackSecrets {
  componentAppId: string;
  token: string;
  encodingAesKey: string;
}

// WeChat appids are `wx` + 16 hex digits; tolerate any letters/digits after `wx` in case of other shapes.
const APP_ID = /^wx[0-9a-zA-Z]{8,30}$/;

export function checkWechatCredentials(credentials: unknown): string[] {
  if (typeof credentials !== 'object' || credentials === null) return ['credentials must be an object'];
  const c = credentials as Record<string, unknown>;
  const problems: string[] = [];
  const str = (field: keyof WechatCredentials) => {
    const v = c[field];
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push(`${field} must be a non-empty string`);
      return null;
    }
    return v;
  };
  for (const field of ['componentAppId', 'authorizerAppId'] as const) {
    const v = str(field);
    if (v !== null && !APP_ID.test(v)) problems.push(`${field} must look like a WeChat appid (wx...)`);
  }
  str('componentAppSecret');
  str('componentVerifyTicket');
  str('authorizerRefreshToken');
  return problems;
}

export function checkWechatCallbackSecrets(secrets: CallbackSecrets): string[] {
  const problems: string[] = [];
  if (!secrets.componentAppId || !APP_ID.test(secrets.componentAppId)) problems.push('componentAppId must look like a WeChat appid (wx...)');
  if (!secrets.token) problems.push('token must be a non-empty string');
  if (!/^[a-zA-Z0-9]{43}$/.test(secrets.encodingAesKey ?? '')) problems.push('encodingAesKey must be 43 letters or digits');
  return problems;
}

export function isWechatCallbackSecrets(secrets: CallbackSecrets): secrets is WechatCallbackSecrets {
  return checkWechatCallbackSecrets(secrets).length === 0;
}
