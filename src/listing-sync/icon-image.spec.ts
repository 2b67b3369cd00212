import sharp from 'sharp';
import { prepareIcon } from './icon-image.js';

describe('prepareIcon', () => {
  const png = () =>
    sharp({ create: { width: 64, height: 64, channels: 3, background: '#2050c0' } })
      .png()
      .toBuffer();

  it('keeps an image the host takes as it is', async () => {
    const bytes = await png();
    expect(await prepareIcon(bytes, { contentTypes: ['image/png'], maxBytes: 1_000_000 })).toEqual({
      bytes,
      contentType: 'image/png',
      fetchedType: 'image/png',
      converted: false,
    });
  });

  it('converts a type the host does not take, reading the real type from the bytes', async () => {
    const gif = await sharp(await png())
      .gif()
      .toBuffer();
    const out = await prepareIcon(gif, { contentTypes: ['image/png', 'image/jpeg'], maxBytes: 1_000_000 });
    expect(out).toMatchObject({ contentType: 'image/png', fetchedType: 'image/gif', converted: true });
    expect((await sharp(out.bytes).metadata()).format).toBe('png');
  });

  it('makes an image smaller until it fits the host limit, and refuses what is not an image', async () => {
    const noisy = await sharp(Buffer.from(Array.from({ length: 256 * 256 * 3 }, (_, i) => (i * 7919) % 251)), { raw: { width: 256, height: 256, channels: 3 } })
      .png()
      .toBuffer();
    const out = await prepareIcon(noisy, { contentTypes: ['image/jpeg'], maxBytes: 8_000 });
    expect(out.contentType).toBe('image/jpeg');
    expect(out.bytes.length).toBeLessThanOrEqual(8_000);
    await expect(prepareIcon(Buffer.from('not an image'), { contentTypes: ['image/png'], maxBytes: 1000 })).rejects.toMatchObject({ rule: 'iconNotAnImage' });
  });
});
