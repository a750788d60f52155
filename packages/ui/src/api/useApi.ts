import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiFailure, ApiResult } from './result.js';

export type Loadable<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; failure: ApiFailure };

/**
 * Runs `load` when `deps` change (or `retry` is called) and cancels the request in flight
 * when they change again or the component goes away, so that a slow old answer never
 * overwrites a newer one.
 * @example const [traces, retry] = useApi((signal) => api.traces(search, signal), [searchKey]);
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<ApiResult<T>>, deps: readonly unknown[]): [Loadable<T>, () => void] {
  const [loadable, setLoadable] = useState<Loadable<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setLoadable({ state: 'loading' });
    load(controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return;
        setLoadable(result.ok ? { state: 'ok', value: result.value } : { state: 'error', failure: result.failure });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const message = error instanceof Error ? error.message : 'unexpected error';
        setLoadable({ state: 'error', failure: { kind: 'invalid', request: 'the UI', message } });
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure each render; `deps` says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return [loadable, retry];
}
