import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The parts of an inspect payload a test sets; the rest is filled in. */
export interface FakeContainer {
  id: string;
  name: string;
  running: boolean;
  startedAt: string;
  finishedAt: string;
  oomKilled?: boolean;
  exitCode?: number;
  labels?: Record<string, string>;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function inspectPayload(c: FakeContainer): Record<string, unknown> {
  return {
    Id: c.id,
    Name: `/${c.name}`,
    Created: c.startedAt,
    RestartCount: 0,
    State: {
      Status: c.running ? 'running' : 'exited', Running: c.running, Paused: false, Restarting: false,
      OOMKilled: c.oomKilled ?? false, Pid: c.running ? 4242 : 0, ExitCode: c.exitCode ?? 0,
      StartedAt: c.startedAt, FinishedAt: c.finishedAt,
    },
    Config: { Hostname: c.id.slice(0, 12), Image: 'busybox', Labels: c.labels ?? {}, Tty: false },
    HostConfig: { NanoCpus: 0, CpuQuota: 0, CpuPeriod: 0, Memory: 0, NetworkMode: 'default', LogConfig: { Type: 'none' } },
  };
}

export { ZERO_TIME };

/**
 * A Docker Engine API stand-in on a unix socket, for unit tests of discovery: /_ping,
 * /events (kept open, replaying its history from `since`), /containers/json and
 * /containers/{id}/json. `stop()` cuts every connection, as a daemon that dies does.
 */
export class FakeEngine {
  readonly containers = new Map<string, FakeContainer>();
  readonly #history: { timeNano: bigint; line: string }[] = [];
  readonly #listeners = new Set<ServerResponse>();
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  requests: string[] = [];

  constructor(readonly socketPath: string) {}

  start(): Promise<void> {
    const server = createServer((req, res) => this.#handle(req, res));
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    this.#server = server;
    return new Promise((resolve) => server.listen(this.socketPath, resolve));
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#listeners.clear();
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  }

  /** Sends (and keeps for replays) a container event. */
  emit(action: string, id: string, timeNano: bigint, attributes: Record<string, string> = {}): void {
    const time = Number(timeNano / 1_000_000_000n);
    const line = `{"Type":"container","Action":${JSON.stringify(action)},"Actor":{"ID":"${id}","Attributes":${JSON.stringify(attributes)}},"time":${time},"timeNano":${timeNano}}\n`;
    this.#history.push({ timeNano, line });
    for (const res of this.#listeners) res.write(line);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requests.push(url.pathname);
    if (url.pathname === '/_ping') return void res.end('OK');
    if (url.pathname === '/events') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      const since = url.searchParams.get('since');
      if (since !== null) {
        const sinceNs = BigInt(Math.floor(Number(since) * 1e6)) * 1_000n;
        for (const event of this.#history) if (event.timeNano >= sinceNs) res.write(event.line);
      }
      this.#listeners.add(res);
      res.once('close', () => this.#listeners.delete(res));
      return;
    }
    if (url.pathname === '/containers/json') return this.#json(res, [...this.containers.values()].map((c) => ({ Id: c.id })));
    const inspect = /^\/containers\/([0-9a-f]{64})\/json$/.exec(url.pathname);
    const container = inspect?.[1] === undefined ? undefined : this.containers.get(inspect[1]);
    if (container !== undefined) return this.#json(res, inspectPayload(container));
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"message":"No such container"}');
  }

  #json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
