/**
 * What a call to the query API gave: the decoded value, or a failure that says what went
 * wrong in words a person can act on. Pages switch on `ok`; nothing is thrown at them.
 */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

export type FailureKind =
  /** No answer: the collector is down, unreachable, or the request was cut. */
  | 'network'
  | 'timeout'
  /** The API answered with an error status (4xx/5xx) and usually a code and message. */
  | 'http'
  /** The API answered 200 with a body the UI does not understand (versions out of step?). */
  | 'invalid';

export interface ApiFailure {
  kind: FailureKind;
  /** The request, e.g. "GET /api/traces?service=orders". */
  request: string;
  /** HTTP status where there was one. */
  status?: number;
  /** The API's stable error code (bad_request, not_found, ...) where it gave one. */
  code?: string;
  message: string;
}

/** One line for an error state: "GET /api/traces failed: 400 bad_request — limit: must be ...". */
export function describeFailure(failure: ApiFailure): string {
  const status = failure.status === undefined ? '' : ` ${failure.status}${failure.code === undefined ? '' : ` ${failure.code}`}`;
  return `${failure.request} failed:${status} ${failure.message}`;
}

/** What a person can do about a failure. */
export function adviceFor(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'network':
      return 'Is the tracedock collector running and reachable? Start it with `npx tracedock` (or `npm start`), then retry.';
    case 'timeout':
      return 'The collector did not answer in time; it may be busy. Narrow the time range or retry.';
    case 'invalid':
      return 'The UI and the collector may be different versions: rebuild and restart the collector.';
    case 'http':
      if (failure.status === 404) return 'It may have been removed by retention, or the link is wrong.';
      if (failure.status !== undefined && failure.status < 500) return 'Check the filters.';
      return 'The collector log has the details.';
  }
}
