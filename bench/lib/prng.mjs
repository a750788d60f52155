/**
 * mulberry32: a small seeded PRNG, so that the benches' ids, shapes and values repeat run
 * to run. Returns numbers in [0, 1).
 * @example const random = prng(42); random(); // 0.6011037519201636
 */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
