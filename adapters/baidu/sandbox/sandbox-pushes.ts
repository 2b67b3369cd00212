import { randomDigits, pushEncrypt, pushSignature } from './sandbox-crypto.js';

export interface PushSecrets {
  tpAppId: string;
  token: string;
  encodingAesKey: string;
}

/** The JSON envelope of B4, encrypted for `override.appId ?? tpAppId` and signed with `override.token ?? token`. */
export function buildPush(secrets: PushSecrets, message: Record<string, unknown>, override: { token?: string; appId?: string } = {}): string {
  const Encrypt = pushEncrypt(secrets.encodingAesKey, override.appId ?? secrets.tpAppId, JSON.stringify(message));
  const TimeStamp = String(Math.floor(Date.now() / 1000));
  const Nonce = randomDigits(10);
  return JSON.stringify({ Nonce, TimeStamp, Encrypt, MsgSignature: pushSignature([override.token ?? secrets.token, TimeStamp, Nonce, Encrypt]) });
}
