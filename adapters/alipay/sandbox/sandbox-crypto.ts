import { generateKeyPairSync, createSign, createVerify, randomBytes } from 'node:crypto';

// The sandbox's own reading of shared/hosts A1.3 / A1.4 / A4.2, written apart from the adapter
// so a shared mistake cannot make both sides agree.

export interface PemPair {
  privateKey: string;
  publicKey: string;
}

/** A throw-away RSA 2048 key pair; the ISV key in PKCS#1 (Alipay's own tool default), Alipay's in PKCS#8. */
export function newKeyPair(format: 'pkcs1' | 'pkcs8'): PemPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: format, format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** The gateway's sign string: all params but `sign`, empty ones dropped, ASCII order, raw values. */
export function gatewaySignString(params: Record<string, string>): string {
  const keys: string[] = [];
  for (const k in params) if (k !== 'sign' && typeof params[k] === 'string' && params[k].length > 0) keys.push(k);
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => k + '=' + params[k]).join('&');
}

/** The V1 notify sign string (A4.2): sign and sign_type removed, empty values kept. */
export function notifySignString(params: Record<string, string>): string {
  const keys = Object.keys(params).filter((k) => k !== 'sign' && k !== 'sign_type');
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => k + '=' + params[k]).join('&');
}

export function sha256WithRsa(text: string, privateKeyPem: string): string {
  const s = createSign('sha256');
  s.write(Buffer.from(text, 'utf8'));
  s.end();
  return s.sign(privateKeyPem).toString('base64');
}

export function checkSha256WithRsa(text: string, signB64: string, publicKeyPem: string): boolean {
  try {
    const v = createVerify('sha256');
    v.write(Buffer.from(text, 'utf8'));
    v.end();
    return v.verify(publicKeyPem, Buffer.from(signB64, 'base64'));
  } catch {
    return false;
  }
}

/** A 16-digit Alipay app id (`2021` + 12 digits). */
export function newAppId(): string {
  return '2021' + [...randomBytes(12)].map((b) => String(b % 10)).join('');
}

/** An app_auth_token shaped like A5's observed format (`202004BB…`, 40 chars). */
export function newAppAuthToken(): string {
  return '202401BB' + randomBytes(16).toString('hex');
}
