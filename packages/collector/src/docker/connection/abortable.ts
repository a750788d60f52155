/**
 * `signal` bounded by a timeout: aborts when either does. For Docker API calls, which take an
 * abortSignal (the timeout race of plain promises is lifecycle/within.ts).
 * @example await docker.listContainers({ all: true, abortSignal: timeoutSignal(signal, 5_000) });
 */
export function timeoutSignal(signal: AbortSignal, timeoutMillis: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMillis)]);
}
