// One outgoing call with a timeout. The result is a value the route decides on: the demo's
// point is to show upstream failures in traces, so they are expected, not exceptional.

/**
 * @returns {Promise<{ ok: true, status: number, body: unknown } | { ok: false, status: number | null, reason: string }>}
 */
export async function callJson(url, { method = 'GET', body, timeoutMillis }) {
  try {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMillis),
    });
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      return { ok: false, status: response.status, reason: 'invalid_json' };
    }
    if (!response.ok) return { ok: false, status: response.status, reason: 'upstream_status' };
    return { ok: true, status: response.status, body: parsed };
  } catch (error) {
    const reason = error?.name === 'TimeoutError' ? 'timeout' : 'unreachable';
    return { ok: false, status: null, reason };
  }
}
