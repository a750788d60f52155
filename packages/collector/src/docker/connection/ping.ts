import type Docker from 'dockerode';

/**
 * `GET /_ping`, abortable: dockerode passes an abortSignal through for ping, but its types
 * do not list one, so the request goes through docker-modem's typed dial.
 * @example await ping(docker, AbortSignal.timeout(5_000));
 */
export function ping(docker: Docker, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      { path: '/_ping', method: 'GET', statusCodes: { 200: true, 500: 'server error' }, abortSignal: signal, options: {} },
      (error) => (error === null ? resolve() : reject(error)),
    );
  });
}
