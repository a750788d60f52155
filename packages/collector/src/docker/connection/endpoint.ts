import { Agent } from 'node:http';
import { inspect } from 'node:util';
import Docker from 'dockerode';

/** Idle keep-alive connections kept for ping/list/inspect; streams hold their own. */
const MAX_FREE_SOCKETS = 4;
const FREE_SOCKET_TIMEOUT_MILLIS = 15_000;

/**
 * docker-modem renders every request's options with util.inspect (showHidden, unlimited
 * depth) for its debug log, even with the log off; an agent with live sockets renders into
 * megabytes and blocked the event loop for seconds. Rendered as one word instead.
 */
class DockerAgent extends Agent {
  [inspect.custom](): string {
    return 'DockerAgent';
  }
}

export interface DockerClient {
  docker: Docker;
  /** Destroys every socket of this client (streams included); the client is unusable after. */
  close(): void;
}

function socketOptions(dockerHost: string): Docker.DockerOptions {
  if (dockerHost.startsWith('unix://')) {
    // host/port set to undefined: docker-modem would otherwise take them from DOCKER_HOST
    // in the environment, and config.ts is the only place that reads the environment.
    return { socketPath: dockerHost.slice('unix://'.length), host: undefined, port: undefined, protocol: 'http' };
  }
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: url.port, protocol: 'http', socketPath: undefined };
}

/**
 * A dockerode client for `dockerHost` (config.dockerHost: unix:///path or tcp://host:port) on
 * its own HTTP agent, so that closing a session closes every socket it opened.
 * @example const client = createDockerClient('unix:///var/run/docker.sock'); await client.docker.ping(); client.close();
 */
export function createDockerClient(dockerHost: string): DockerClient {
  const agent = new DockerAgent({ keepAlive: true, maxFreeSockets: MAX_FREE_SOCKETS, timeout: FREE_SOCKET_TIMEOUT_MILLIS });
  // docker-modem takes an agent, though @types/dockerode does not list it.
  const options: Docker.DockerOptions & { agent: Agent } = { ...socketOptions(dockerHost), agent };
  return { docker: new Docker(options), close: () => agent.destroy() };
}
