import { randomAlnum, sandboxEncrypt, sandboxSignature } from './sandbox-crypto.js';

export interface PushSecrets {
  componentAppId: string;
  token: string;
  encodingAesKey: string;
}

/** The JSON envelope of C4: `{Nonce, TimeStamp, Encrypt, MsgSignature}`; each build has a fresh nonce and random prefix. */
export function buildPush(secrets: PushSecrets, message: Record<string, unknown>, override: { token?: string; appId?: string } = {}): string {
  const Encrypt = sandboxEncrypt(secrets.encodingAesKey, override.appId ?? secrets.componentAppId, JSON.stringify(message));
  const TimeStamp = String(Math.floor(Date.now() / 1000));
  const Nonce = randomAlnum(16);
  const MsgSignature = sandboxSignature([override.token ?? secrets.token, TimeStamp, Nonce, Encrypt]);
  return JSON.stringify({ Nonce, TimeStamp, Encrypt, MsgSignature });
}
