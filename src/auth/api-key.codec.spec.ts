import { generateApiKey, hashApiKey, safeEqual } from './api-key.codec.js';

describe('api key codec', () => {
  it('makes keys that start with their visible prefix and hash to what is stored', () => {
    const key = generateApiKey();
    expect(key.plain.startsWith(`${key.prefix}_`)).toBe(true);
    expect(key.prefix).toMatch(/^mpg_[0-9a-f]{8}$/);
    expect(key.hash).toBe(hashApiKey(key.plain));
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never makes the same key twice', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().plain));
    expect(keys.size).toBe(200);
  });

  it('compares secrets of any length', () => {
    expect(safeEqual('operator-key-long-enough-123', 'operator-key-long-enough-123')).toBe(true);
    expect(safeEqual('operator-key-long-enough-123', 'operator-key-long-enough-124')).toBe(false);
    expect(safeEqual('short', 'operator-key-long-enough-123')).toBe(false);
  });
});
