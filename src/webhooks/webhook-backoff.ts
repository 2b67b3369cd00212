/** Delay before attempt `attempts + 1`: base doubling per attempt up to the cap, the upper half jittered. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  return Math.round(full / 2 + (random() * full) / 2);
}
