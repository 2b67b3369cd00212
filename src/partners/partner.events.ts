import { defineChannel } from '../events/notification-channel.js';

/** Sent in the transaction that disables a partner; every instance drops the partner's keys from its cache. */
export const PARTNER_DISABLED = defineChannel<{ partnerId: string }>('gw_partner_disabled', (payload) => {
  const partnerId = (payload as { partnerId?: unknown } | null)?.partnerId;
  if (typeof partnerId !== 'string') throw new Error('expected { partnerId: string }');
  return { partnerId };
});
