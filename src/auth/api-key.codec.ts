import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Partner keys start with this instead of `mpg_`, so a key is looked up in one table only.
export const PARTNER_KEY_PREFIX = 'mpp_';

// Keys look like `mpg_<8 hex>_<32 base62-ish>` (`mpp_...` for partner keys): the first part is a visible prefix, the whole
// key is hashed with sha256 (keys are long random strings, so a slow hash adds nothing).
export function generateApiKey(kind: 'organization' | 'partner' = 'organization'): { plain: string; prefix: string; hash: string } {
  const prefix = `${kind === 'partner' ? PARTNER_KEY_PREFIX : 'mpg_'}${randomBytes(4).toString('hex')}`;
  const plain = `${prefix}_${randomBytes(24).toString('base64url')}`;
  return { plain, prefix, hash: hashApiKey(plain) };
}

export function hashApiKey(plain: string): string {
  return createHash('sha256').update(plain, 'utf8').digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
