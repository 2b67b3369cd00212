import sharp, { type Metadata } from 'sharp';
import type { IconImage } from '../../adapters/core/index.js';
import { IconFetchError } from './icon-fetcher.js';

/** What the host takes for an icon (from the adapter's `capabilities.basicInfo.icon.image`). */
export interface IconSpec {
  contentTypes: readonly string[];
  maxBytes: number;
}

export interface PreparedIcon extends IconImage {
  fetchedType: string;
  converted: boolean;
}

const TYPE_OF_FORMAT: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
};

/**
 * The icon as this host takes it: unchanged when its real type (read from the bytes, not the
 * server's header) and size fit, else re-encoded by sharp as PNG (JPEG where the host takes no
 * PNG), and made smaller until it fits the host's byte limit.
 */
export async function prepareIcon(bytes: Buffer, spec: IconSpec): Promise<PreparedIcon> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (err) {
    throw new IconFetchError('iconNotAnImage', `the icon is not an image sharp can read: ${(err as Error).message}`);
  }
  const fetchedType = TYPE_OF_FORMAT[meta.format ?? ''] ?? `image/${meta.format ?? 'unknown'}`;
  if (spec.contentTypes.includes(fetchedType) && bytes.length <= spec.maxBytes) return { bytes, contentType: fetchedType, fetchedType, converted: false };
  const target = spec.contentTypes.includes('image/png') ? 'image/png' : 'image/jpeg';
  let width = meta.width ?? 0;
  for (let round = 0; round < 8; round++) {
    const pipeline = sharp(bytes, { animated: false }).resize(width > 0 ? { width, withoutEnlargement: true } : undefined);
    const out = target === 'image/png' ? await pipeline.png({ compressionLevel: 9 }).toBuffer() : await pipeline.jpeg({ quality: 85 }).toBuffer();
    if (out.length <= spec.maxBytes) return { bytes: out, contentType: target, fetchedType, converted: true };
    width = Math.floor(width * 0.75);
    if (width < 16) break;
  }
  throw new IconFetchError('iconTooLarge', `the icon cannot be brought under the host's ${spec.maxBytes} bytes`);
}
