import type Docker from 'dockerode';

/**
 * The Docker engine's own name (`GET /info` → Name: the host's hostname, also inside the
 * collector's container), abortable like ping.ts; undefined when the engine does not answer.
 * @example await engineName(docker, AbortSignal.timeout(5_000)) // 'build-host-3'
 */
export function engineName(docker: Docker, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    docker.modem.dial(
      { path: '/info', method: 'GET', statusCodes: { 200: true, 500: 'server error' }, abortSignal: signal, options: {} },
      (error, info: unknown) => {
        const name = error === null && typeof info === 'object' && info !== null ? (info as { Name?: unknown }).Name : undefined;
        resolve(typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined);
      },
    );
  });
}
