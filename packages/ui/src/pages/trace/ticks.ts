/** Round tick steps (1, 2, 5 × 10^n ms) so that the time axis reads 0, 20 ms, 40 ms, ... */
const STEP_FACTORS = [1, 2, 5, 10] as const;

export function tickValuesMs(spanMs: number, targetCount: number): number[] {
  if (!(spanMs > 0)) return [0];
  const rough = spanMs / targetCount;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = (STEP_FACTORS.find((f) => f * magnitude >= rough) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = 0; t <= spanMs + step * 1e-9; t += step) ticks.push(t);
  return ticks;
}
