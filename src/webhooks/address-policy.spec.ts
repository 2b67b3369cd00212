import { nonPublicRange } from '../common/outbound-address.js';
import { checkWebhookUrl } from './address-policy.js';

describe('nonPublicRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['ff02::1', 'multicast'],
  ])('%s is %s', (address, range) => expect(nonPublicRange(address)).toBe(range));

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => expect(nonPublicRange(address)).toBeNull());
});

describe('checkWebhookUrl', () => {
  const resolver = (map: Record<string, string[]>) => async (host: string) => {
    if (!(host in map)) throw new Error('ENOTFOUND');
    return map[host];
  };

  it('accepts an https URL whose every address is public', async () => {
    expect(await checkWebhookUrl('https://hooks.partner.test/in', false, resolver({ 'hooks.partner.test': ['8.8.8.8', '2606:4700:4700::1111'] }))).toBeNull();
  });

  it.each([
    ['ftp://x.test/', 'httpUrl'],
    ['not a url', 'isUrl'],
    ['https://user:pw@x.test/', 'noCredentials'],
    ['https://x.test/#frag', 'noFragment'],
    ['https://nowhere.test/', 'resolvable'],
    ['http://127.0.0.1:8080/', 'publicAddress'],
    ['http://[::1]/', 'publicAddress'],
    ['http://[::ffff:127.0.0.1]/', 'publicAddress'],
    ['http://mixed.test/', 'publicAddress'],
    ['http://0x7f000001/', 'publicAddress'],
  ])('refuses %s (%s), naming the field', async (url, rule) => {
    const problem = await checkWebhookUrl(url, false, resolver({ 'x.test': ['8.8.8.8'], 'mixed.test': ['8.8.8.8', '10.0.0.7'] }));
    expect(problem).toMatchObject({ field: 'url', rule });
  });

  it('names every refused address with its range', async () => {
    const problem = await checkWebhookUrl('http://mixed.test/', false, resolver({ 'mixed.test': ['8.8.8.8', '10.0.0.7'] }));
    expect(problem?.message).toBe(
      'url: mixed.test resolves to 10.0.0.7, a private address; webhooks go to public addresses only (the operator setting WEBHOOKS_ALLOW_PRIVATE allows others)',
    );
  });

  it('lets private addresses through when the operator allows them, still refusing other schemes', async () => {
    expect(await checkWebhookUrl('http://127.0.0.1:9/', true)).toBeNull();
    expect(await checkWebhookUrl('file:///etc/passwd', true)).toMatchObject({ rule: 'httpUrl' });
  });
});
