/**
 * container.id from /proc/self/mountinfo, for cgroup v2 hosts where /proc/self/cgroup says only
 * `0::/`. Docker and Podman bind-mount the container's own /etc/hostname, /etc/hosts and
 * /etc/resolv.conf from a per-container directory, and mountinfo's 4th field (the mount's root
 * inside its filesystem) keeps that path:
 *   Docker   .../docker/containers/<id>/hostname                        (root may start at /containers/ when /var/lib/docker is its own filesystem)
 *   Podman   .../containers/storage/overlay-containers/<id>/userdata/hostname, or the runroot's .../overlay-containers/<id>/userdata/
 * Only those three mount points are read: overlay layer directories elsewhere in the file are also
 * 64 hex digits and name image layers, not the container. containerd under Kubernetes mounts them
 * from `.../sandboxes/<id>/` or the kubelet's pod directory, and CRI-O from the pod's infra
 * container's userdata: that id is the pod's sandbox, not this container. So under Kubernetes (a
 * mount from the kubelet's `/pods/` directory is present) nothing is taken: no id beats a wrong one.
 */
import { isContainerId } from './container-id.js';

const MOUNT_POINTS: ReadonlySet<string> = new Set(['/etc/hostname', '/etc/hosts', '/etc/resolv.conf']);
const PATTERNS = [/\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf)$/, /\/overlay-containers\/([0-9a-f]{64})\/userdata\//];

/** mountinfo escapes space, tab, newline and backslash in paths as \ooo octal. */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

const KUBELET_POD_MOUNT = /\/kubelet\/pods\//;

export function containerIdFromMountinfo(text: string): string | undefined {
  const lines = text.split('\n');
  if (lines.some((line) => KUBELET_POD_MOUNT.test(line.split(' ')[3] ?? ''))) return undefined;
  for (const line of lines) {
    // id parent major:minor root mount-point options ... - fstype source super-options
    const fields = line.split(' ');
    const root = fields[3];
    const mountPoint = fields[4];
    if (root === undefined || mountPoint === undefined || !MOUNT_POINTS.has(unescapeOctal(mountPoint))) continue;
    const path = unescapeOctal(root);
    for (const pattern of PATTERNS) {
      const id = pattern.exec(path)?.[1];
      if (id !== undefined && isContainerId(id)) return id;
    }
  }
  return undefined;
}
