import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerIdFromProcFiles, detectContainerId } from '../packages/sdk/src/container/detect.ts';
import { containerIdFromCgroup } from '../packages/sdk/src/container/cgroup.ts';
import { containerIdFromMountinfo } from '../packages/sdk/src/container/mountinfo.ts';
import { repoRoot } from './support/env.js';

/**
 * The container-id detector on recorded and documented /proc/self files (see the fixtures'
 * README for which is which): each runtime and cgroup layout gives the container's own id, and
 * anything that is not certainly this container's id gives none.
 */

const FIXTURES = join(repoRoot, 'packages', 'sdk', 'test', 'fixtures', 'proc');

const EXPECTED: Record<string, string | undefined> = {
  'docker-cgroup-v1': '42a1bf41e2752d670049060fa542214f5b4c01f515b753c8711b703cc8f15919',
  'docker-cgroupns-private': '8f2885e8fb4c9dbacf00bbb9d077c5d708fce4e4775988b5ef00838c2665eda6',
  'docker-cgroup-v2': 'c4f1d9e3a7b2680f5e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1',
  'docker-cgroup-v2-host-ns': '7e3b5a1c9d8f2e4a6b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6',
  'docker-in-docker': '2f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e',
  'podman-rootless': '9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9',
  'podman-rootful': '3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b',
  'k8s-containerd-cgroup-v1': '5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a',
  'k8s-containerd-cgroup-v2': '8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a',
  'k8s-containerd-cgroupns': undefined,
  'not-a-container-sandbox': undefined,
  'not-a-container-systemd-host': undefined,
};

const read = (dir: string, file: string): string => readFileSync(join(FIXTURES, dir, file), 'utf8');

describe('container.id from /proc/self files', () => {
  it('has an expectation for every fixture folder', () => {
    const folders = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s → %s', (dir, expected) => {
    expect(containerIdFromProcFiles({ cgroup: read(dir, 'cgroup'), mountinfo: read(dir, 'mountinfo') })).toBe(expected);
    // The same through the file-reading entry point, as start() uses it.
    expect(detectContainerId(join(FIXTURES, dir))).toBe(expected);
  });

  it('finds the id of `0::/` cases in mountinfo alone, and cgroup paths without mountinfo', () => {
    expect(containerIdFromCgroup(read('docker-cgroupns-private', 'cgroup'))).toBeUndefined();
    expect(containerIdFromMountinfo(read('docker-cgroupns-private', 'mountinfo'))).toBe(EXPECTED['docker-cgroupns-private']);
    expect(containerIdFromProcFiles({ cgroup: read('podman-rootful', 'cgroup'), mountinfo: undefined })).toBe(EXPECTED['podman-rootful']);
  });

  it('takes no id from overlay layer directories, 32-hex manager ids or a Kubernetes pod sandbox', () => {
    // Each of these holds a hex string the naive detectors take for a container id.
    expect(containerIdFromCgroup(read('not-a-container-sandbox', 'cgroup'))).toBeUndefined();
    expect(containerIdFromMountinfo(read('not-a-container-systemd-host', 'mountinfo'))).toBeUndefined();
    expect(containerIdFromMountinfo(read('k8s-containerd-cgroupns', 'mountinfo'))).toBeUndefined();
  });

  it('gives none when the files cannot be read (not Linux, /proc hidden)', () => {
    expect(detectContainerId(join(FIXTURES, 'no-such-dir'))).toBeUndefined();
    expect(containerIdFromProcFiles({ cgroup: undefined, mountinfo: undefined })).toBeUndefined();
  });

  it('unescapes octal-escaped mount points', () => {
    const id = 'ab'.repeat(32);
    const line = `1 0 8:1 /var/lib/docker/containers/${id}/hostname /etc/hostname rw - ext4 /dev/sda1 rw`;
    expect(containerIdFromMountinfo(line)).toBe(id);
    expect(containerIdFromMountinfo(line.replace(' /etc/hostname ', ' /etc/host\\040name '))).toBeUndefined();
  });
});
