/**
 * container.id from /proc/self/cgroup (`hierarchy:controllers:path` per line). The runtimes put
 * the id into the cgroup path under one of these names:
 *   /docker/<id>                                  Docker, cgroupfs driver (v1)
 *   /system.slice/docker-<id>.scope               Docker, systemd driver (v1, v2 without a cgroup namespace)
 *   /kubepods/burstable/pod<uid>/<id>             containerd/CRI-O under Kubernetes, cgroupfs driver
 *   /kubepods.slice/.../cri-containerd-<id>.scope containerd, systemd driver; crio-<id>.scope for CRI-O
 *   /machine.slice/libpod-<id>.scope[/container]  Podman
 * Only a whole 64-hex segment (after such a prefix, before `.scope`) counts: a bare hex string of
 * another length is some other manager's id (a sandbox here shows `/process_api/<32 hex>`), and
 * returning it would attach telemetry to a container that does not exist. With a cgroup
 * namespace (the cgroup v2 default) the path is just `0::/` and this finds nothing: mountinfo.ts
 * is the fallback.
 */
import { isContainerId } from './container-id.js';

const SEGMENT = /^(?:[a-z][a-z0-9_-]*-)?([0-9a-f]{64})(?:\.scope)?$/;

function idInPath(path: string): string | undefined {
  const segments = path.split('/');
  // The innermost segment wins: with nested containers (Docker in Docker) the outer id comes first.
  for (let i = segments.length - 1; i >= 0; i -= 1) {
    const match = SEGMENT.exec(segments[i] ?? '');
    if (match?.[1] !== undefined && isContainerId(match[1])) return match[1];
  }
  return undefined;
}

export function containerIdFromCgroup(text: string): string | undefined {
  for (const line of text.split('\n')) {
    // The path may itself contain ':' in theory; it is everything after the second one.
    const first = line.indexOf(':');
    const second = first === -1 ? -1 : line.indexOf(':', first + 1);
    if (second === -1) continue;
    const id = idInPath(line.slice(second + 1).trim());
    if (id !== undefined) return id;
  }
  return undefined;
}
