import { nonPublicRange } from './outbound-address.js';

// More cases, with the range names, in src/webhooks/address-policy.spec.ts.
describe('nonPublicRange', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1'])(
    'refuses %s',
    (ip) => expect(nonPublicRange(ip)).not.toBeNull(),
  );
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('allows %s', (ip) => expect(nonPublicRange(ip)).toBeNull());
});
