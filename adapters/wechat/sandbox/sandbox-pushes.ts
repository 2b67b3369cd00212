import type { RawCallback } from '../../core/index.js';
import { randomAlnum, sandboxEncrypt, sandboxSha1Signature } from './sandbox-crypto.js';

export interface PushSecrets {
  componentAppId: string;
  token: string;
  encodingAesKey: string;
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

/** Builds an encrypted push exactly as wechat.md §5.1 shows it, both signatures in the query. */
export function buildPush(
  secrets: PushSecrets,
  inner: Record<string, string | number>,
  envelope: { AppId: string } | { ToUserName: string },
  override: { token?: string; appId?: string } = {},
): Pick<RawCallback, 'query' | 'body'> {
  const xml = `<xml>${Object.entries(inner)
    .map(([k, v]) => `<${k}>${typeof v === 'number' ? v : cdata(v)}</${k}>`)
    .join('')}</xml>`;
  const encrypt = sandboxEncrypt(secrets.encodingAesKey, override.appId ?? secrets.componentAppId, xml);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(100_000_000 + Math.floor(Math.random() * 899_999_999));
  const token = override.token ?? secrets.token;
  const query: Record<string, string> = {
    signature: sandboxSha1Signature([token, timestamp, nonce]),
    timestamp,
    nonce,
    encrypt_type: 'aes',
    msg_signature: sandboxSha1Signature([token, timestamp, nonce, encrypt]),
  };
  const head = 'AppId' in envelope ? `<AppId>${cdata(envelope.AppId)}</AppId>` : `<ToUserName>${cdata(envelope.ToUserName)}</ToUserName>`;
  if ('ToUserName' in envelope) query.openid = `o${randomAlnum(27)}`;
  return { query, body: `<xml>${head}<Encrypt>${cdata(encrypt)}</Encrypt></xml>` };
}
