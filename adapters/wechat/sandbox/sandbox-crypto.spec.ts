import { describe, expect, it } from '@jest/globals';
import { randomAlnum, sandboxDecrypt, sandboxEncrypt, sandboxSha1Signature } from './sandbox-crypto.js';

describe('sandbox WXBizMsgCrypt', () => {
  it('matches the published signature vectors (wechat.md §6.1)', () => {
    expect(sandboxSha1Signature(['RMNlACHlV5ThzfRlVS4D4', 'timestamp', 'nonce', 'encrypt'])).toBe('8edac0945683c119ee71c9f6256d76c48aa08a96');
    const echostr = '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==';
    expect(sandboxSha1Signature(['123456', '1411443780', '437374425', echostr])).toBe('dd6b9c95b495b3f7e2901bfbc76c664930ffdb96');
    expect(sandboxDecrypt('kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', echostr)).toEqual({ message: '5927782489442352469', appId: 'wx49f0ab532d5d035a' });
  });

  it('round-trips with a fresh random prefix each time', () => {
    const key = randomAlnum(43);
    const a = sandboxEncrypt(key, 'wxabc', '<xml>审核</xml>');
    expect(a).not.toBe(sandboxEncrypt(key, 'wxabc', '<xml>审核</xml>'));
    expect(sandboxDecrypt(key, a)).toEqual({ message: '<xml>审核</xml>', appId: 'wxabc' });
  });
});
