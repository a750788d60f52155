/** A container id as Docker, Podman, containerd and CRI-O write it: 64 lowercase hex digits. */
const CONTAINER_ID = /^[0-9a-f]{64}$/;

export function isContainerId(value: string): boolean {
  return CONTAINER_ID.test(value);
}
