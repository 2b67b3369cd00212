import { defineChannel } from '../events/notification-channel.js';

/** Sent in the transaction that revokes a key; every instance drops the key from its cache. */
export const API_KEY_REVOKED = defineChannel<{ keyId: string }>('gw_api_key_revoked', (payload) => {
  const keyId = (payload as { keyId?: unknown } | null)?.keyId;
  if (typeof keyId !== 'string') throw new Error('expected { keyId: string }');
  return { keyId };
});
