import type { Server } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { within } from '../../lifecycle/within.js';

/** Listens and resolves with the bound port (the real one when `port` is 0). */
export function listenHttp(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error(`${host}:${port} is not a TCP address`));
      else resolve(address.port);
    });
  });
}

/**
 * Stops listening, lets requests in flight finish for up to `timeoutMillis`, then closes
 * whatever connection is left. Never rejects; safe to call twice.
 */
export async function closeHttpServer(server: Server, timeoutMillis: number): Promise<void> {
  if (!server.listening) {
    server.closeAllConnections();
    return;
  }
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  try {
    await within(closed, timeoutMillis);
  } finally {
    server.closeAllConnections();
  }
}
