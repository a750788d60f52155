import type { Check } from './CheckInput.js';
import { checkCpuAtLimit } from './cpu-at-limit.js';
import { checkCpuThrottled } from './cpu-throttled.js';
import { checkDied, checkRestart } from './lifecycle.js';
import { checkMemoryNearLimit } from './memory-near-limit.js';
import { checkNoisyNeighbour } from './noisy-neighbour.js';
import { checkOom } from './oom.js';
import { checkPsiStall } from './psi.js';

/** Every check, in the order their suspects are listed for one span (most specific first). */
export const ALL_CHECKS: readonly Check[] = [
  checkDied,
  checkOom,
  checkRestart,
  checkCpuThrottled,
  checkCpuAtLimit,
  checkMemoryNearLimit,
  checkNoisyNeighbour,
  checkPsiStall,
];
