import { WireError, type Decoder } from './validate.js';
import type { ApiFailure, ApiResult } from './result.js';
import { errorResponse } from './wire.js';

/** Long enough for a 5,000-span trace on a busy collector, short enough to say so. */
export const REQUEST_TIMEOUT_MILLIS = 20_000;
/** Error bodies are short JSON; anything longer is not ours (a proxy page) and is not shown. */
const ERROR_BODY_MAX_CHARS = 2_000;

export type QueryValue = string | number | undefined;

/** `/api/path?a=1&b=2`, leaving out undefined and empty values. */
export function apiUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? `/api${path}` : `/api${path}?${text}`;
}

function failed(request: string, failure: Omit<ApiFailure, 'request'>): ApiResult<never> {
  return { ok: false, failure: { request, ...failure } };
}

async function httpFailure(request: string, response: Response): Promise<ApiResult<never>> {
  const text = await response.text().catch(() => '');
  try {
    const { error } = errorResponse(JSON.parse(text), 'body');
    return failed(request, { kind: 'http', status: response.status, code: error.code, message: error.message });
  } catch {
    const message = text.length > 0 && text.length <= ERROR_BODY_MAX_CHARS && !text.startsWith('<') ? text : response.statusText;
    return failed(request, { kind: 'http', status: response.status, message: message || 'no message' });
  }
}

/**
 * The collector wants its API token (its sign-in cookie expired, or the token changed): off
 * to its sign-in page, which brings the user back here.
 */
function signInAgain(): void {
  // globalThis: the unit tests type-check this module without the DOM library.
  const place = (globalThis as { location?: { pathname: string; search: string; assign(url: string): void } }).location;
  if (place === undefined) return;
  place.assign(`/login?next=${encodeURIComponent(`${place.pathname}${place.search}`)}`);
}

/**
 * GET `url` (from apiUrl) and decode its JSON with `decode`. `signal` cancels (a page that
 * is left); the request also gives up after REQUEST_TIMEOUT_MILLIS.
 */
export async function getJson<T>(url: string, decode: Decoder<T>, signal?: AbortSignal): Promise<ApiResult<T>> {
  const request = `GET ${url}`;
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/json' },
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
    });
  } catch (error) {
    if (timeout.aborted) return failed(request, { kind: 'timeout', message: `no answer within ${REQUEST_TIMEOUT_MILLIS / 1000} s` });
    return failed(request, { kind: 'network', message: error instanceof Error ? error.message : 'the request failed' });
  }
  if (response.status === 401) signInAgain();
  if (!response.ok) return httpFailure(request, response);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (timeout.aborted) return failed(request, { kind: 'timeout', message: 'the answer did not arrive in time' });
    const message = error instanceof Error && error.name === 'AbortError' ? 'cancelled' : 'the answer is not JSON';
    return failed(request, { kind: message === 'cancelled' ? 'network' : 'invalid', status: response.status, message });
  }
  try {
    return { ok: true, value: decode(body, 'response') };
  } catch (error) {
    if (error instanceof WireError) return failed(request, { kind: 'invalid', status: response.status, message: error.message });
    throw error;
  }
}
