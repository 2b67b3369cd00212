import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { CallbackSecrets } from '../core/index.js';

/** What the gateway keeps per merchant mini-program authorized to our ISV app (shared/hosts A1.2, A5). */
export interface AlipayCredentials {
  /** The ISV's third-party app id: every call is signed as this app (A1.2 `app_id`). */
  appId: string;
  /** The ISV app's RSA private key, PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`). */
  privateKey: string;
  /** Alipay's public key for this ISV app, PEM (`PUBLIC KEY`); verifies responses and pushes. */
  alipayPublicKey: string;
  /** The merchant mini-program's app_auth_token (long-lived, A5); never the template app's. */
  appAuthToken: string;
}

/** Platform-level secrets for msgapi pushes (A4.2): our ISV app id and Alipay's public key. */
export interface AlipayCallbackSecrets extends CallbackSecrets {
  appId: string;
  alipayPublicKey: string;
}

// Alipay app ids are 16 digits (e.g. 2021000000000001, A5 observed formats).
export const ALIPAY_APP_ID = /^\d{16}$/;

function privateKeyProblem(pem: string): string | null {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'rsa' ? null : 'privateKey must be an RSA key';
  } catch {
    return 'privateKey is not a readable PEM private key (PKCS#1 or PKCS#8)';
  }
}

export function publicKeyProblem(field: string, pem: unknown): string | null {
  if (typeof pem !== 'string' || pem.trim() === '') return `${field} must be a non-empty PEM string`;
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'rsa' ? null : `${field} must be an RSA key`;
  } catch {
    return `${field} is not a readable PEM public key`;
  }
}

/** Field by field problems with an Alipay credentials object; never echoes a value. */
export function checkAlipayCredentials(credentials: unknown): string[] {
  if (typeof credentials !== 'object' || credentials === null) return ['credentials must be an object'];
  const c = credentials as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof c.appId !== 'string' || !ALIPAY_APP_ID.test(c.appId)) problems.push('appId must be the 16-digit ISV app id');
  if (typeof c.privateKey !== 'string' || c.privateKey.trim() === '') problems.push('privateKey must be a non-empty PEM string');
  else {
    const p = privateKeyProblem(c.privateKey);
    if (p) problems.push(p);
  }
  const pub = publicKeyProblem('alipayPublicKey', c.alipayPublicKey);
  if (pub) problems.push(pub);
  else if (/PRIVATE KEY/.test(String(c.alipayPublicKey))) problems.push('alipayPublicKey must be a public key, not a private key');
  if (typeof c.appAuthToken !== 'string' || c.appAuthToken.trim() === '') problems.push('appAuthToken must be a non-empty string');
  else if (c.appAuthToken.length > 40) problems.push('appAuthToken must be at most 40 characters (A1.2)');
  return problems;
}

export function checkAlipayCallbackSecrets(secrets: CallbackSecrets): string[] {
  const problems: string[] = [];
  if (!ALIPAY_APP_ID.test(secrets.appId ?? '')) problems.push('appId must be the 16-digit ISV app id');
  const pub = publicKeyProblem('alipayPublicKey', secrets.alipayPublicKey);
  if (pub) problems.push(pub);
  return problems;
}
