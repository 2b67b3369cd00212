import { randomUUID } from 'node:crypto';
import type { RawCallback } from '../../core/index.js';
import { notifySignString, sha256WithRsa } from './sandbox-crypto.js';

/** A msgapi push as form fields (A4.1), signed V1 with the given "Alipay" private key (A4.2). */
export function buildPushForm(msgMethod: string, biz: Record<string, unknown>, appId: string, privateKey: string): string {
  const fields: Record<string, string> = {
    msg_method: msgMethod,
    biz_content: JSON.stringify(biz),
    notify_id: randomUUID().replaceAll('-', ''),
    utc_timestamp: String(Date.now()),
    version: '1.1',
    app_id: appId,
    charset: 'utf-8',
    sign_type: 'RSA2',
  };
  fields.sign = sha256WithRsa(notifySignString(fields), privateKey);
  return new URLSearchParams(fields).toString();
}

export const PUSH_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

export function asRawCallback(body: string, path = '/'): RawCallback {
  return { method: 'POST', path, query: {}, headers: { 'content-type': PUSH_CONTENT_TYPE }, body };
}
