import { signatureHeader } from './webhook-signature.js';

describe('signatureHeader', () => {
  it('matches a vector computed by hand (openssl dgst -sha256 -hmac)', () => {
    // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test'
    expect(signatureHeader('whsec_test', 1_700_000_000, '{"a":1}')).toBe(`t=1700000000,v1=${EXPECTED}`);
  });
});
const EXPECTED = '38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789';
