import { describe, expect, it } from '@jest/globals';
import { decryptFor, decryptMessage, encryptMessage, pkcs7Pad, pkcs7Unpad, wechatSignature, WechatCryptoError } from './wechat.crypto.js';

// Published vectors (shared/hosts/wechat.md §6.1); full strings from wechatpy tests/test_crypto.py.
const token = '123456';
const key = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const appId = 'wx49f0ab532d5d035a';
const nonce = '461056294';
const timestamp = '1411525903';
const reply =
  '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>';
const expectedEncrypt =
  '9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3';
const decryptCase =
  'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';

describe('WXBizMsgCrypt published vectors', () => {
  it('V2 encrypt with a fixed random reproduces Encrypt and MsgSignature byte for byte', () => {
    const encrypt = encryptMessage(key, appId, reply, Buffer.from('1234567890123456'));
    expect(encrypt.startsWith('9s4gMv99m88kKTh/H8IdkOiMg6bisoy3')).toBe(true);
    expect(encrypt.endsWith('XiKzHo3')).toBe(true);
    expect(encrypt).toBe(expectedEncrypt);
    expect(wechatSignature(token, timestamp, nonce, encrypt)).toBe('407518b7649e86ef23978113f92d27afa9296533');
  });

  it('V2 decrypt case: signature matches and the XML carries Content test from messense', () => {
    expect(wechatSignature(token, timestamp, nonce, decryptCase)).toBe('74d92dfeb87ba7c714f89d98870ae5eb62dff26d');
    const { message, appId: found } = decryptMessage(key, decryptCase);
    expect(found).toBe(appId);
    expect(message).toContain('<Content><![CDATA[test]]></Content>');
    expect(message).toContain('<FromUserName><![CDATA[messense]]></FromUserName>');
  });

  it('V2 echostr case decrypts to the documented value and matches its signature', () => {
    const echostr = '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==';
    expect(wechatSignature(token, '1411443780', '437374425', echostr)).toBe('dd6b9c95b495b3f7e2901bfbc76c664930ffdb96');
    expect(decryptFor(key, appId, echostr)).toBe('5927782489442352469');
  });

  it('refuses the published decrypt case for any other appid, with the app_id reason (-40005 in the samples)', () => {
    let caught: unknown;
    try {
      decryptFor(key, 'wx0000000000000000', decryptCase);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WechatCryptoError);
    expect(caught).toMatchObject({ reason: 'app_id', message: 'payload is addressed to another appid' });
  });

  it('V4 signature-only vector', () => {
    expect(wechatSignature('RMNlACHlV5ThzfRlVS4D4', 'timestamp', 'nonce', 'encrypt')).toBe('8edac0945683c119ee71c9f6256d76c48aa08a96');
  });
});

describe('WXBizMsgCrypt rules', () => {
  it('pads to 32-byte blocks with 1..32 bytes and round-trips', () => {
    expect(pkcs7Pad(Buffer.alloc(10)).length).toBe(32);
    expect(pkcs7Pad(Buffer.alloc(32)).length).toBe(64);
    expect(pkcs7Pad(Buffer.alloc(10))[31]).toBe(22);
    expect(pkcs7Unpad(pkcs7Pad(Buffer.from('abc'))).toString()).toBe('abc');
  });

  it('round-trips UTF-8 and refuses another appid', () => {
    const enc = encryptMessage(key, 'wxcomponent', '<xml>审核通过</xml>');
    expect(decryptFor(key, 'wxcomponent', enc)).toBe('<xml>审核通过</xml>');
    expect(() => decryptFor(key, 'wxother', enc)).toThrow(WechatCryptoError);
  });

  it('refuses a malformed key and garbage ciphertext', () => {
    expect(() => encryptMessage('short', appId, 'x')).toThrow(/43/);
    expect(() => decryptMessage(key, Buffer.alloc(32, 7).toString('base64'))).toThrow(WechatCryptoError);
  });
});
