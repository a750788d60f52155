import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAppPackage } from '../packages/sdk/src/app-package.ts';
import { resolveConfig } from '../packages/sdk/src/config.ts';
import { resourceAttributes, type ResourceSources } from '../packages/sdk/src/resource.ts';

/**
 * The resource the SDK puts on every span and log record: service.name from the options/env or
 * else the app's package.json, host.name, and container.id from detection unless given.
 */

const CONTAINER_ID = 'ab'.repeat(32);
const sources = (containerId: string | undefined): ResourceSources => ({
  containerId: () => containerId,
  appPackage: () => ({ name: 'orders-api', version: '2.3.4' }),
  hostName: () => 'node-7',
});

describe('resource attributes', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('defaults service.name and service.version to the app package, and carries host.name and container.id', () => {
    expect(resourceAttributes(resolveConfig({}, {}), sources(CONTAINER_ID))).toMatchObject({
      'service.name': 'orders-api',
      'service.version': '2.3.4',
      'host.name': 'node-7',
      'container.id': CONTAINER_ID,
      'process.pid': process.pid,
      'process.runtime.name': 'nodejs',
    });
  });

  it('leaves container.id out outside a container, and takes an explicit one over detection', () => {
    expect(resourceAttributes(resolveConfig({}, {}), sources(undefined))['container.id']).toBeUndefined();
    const explicit = resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: 'container.id=given' });
    expect(resourceAttributes(explicit, sources(CONTAINER_ID))['container.id']).toBe('given');
    expect(resourceAttributes(resolveConfig({ detectContainer: false }, {}), sources(CONTAINER_ID))['container.id']).toBeUndefined();
  });

  it('takes the configured service name over the package name', () => {
    expect(resourceAttributes(resolveConfig({ serviceName: 'checkout' }, {}), sources(undefined))['service.name']).toBe('checkout');
    expect(resourceAttributes(resolveConfig({}, { OTEL_SERVICE_NAME: 'from-env' }), sources(undefined))['service.name']).toBe('from-env');
  });

  it('finds the nearest package.json above the entry script, else above the working directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tracedock-sdk-pkg-'));
    dirs.push(root);
    await mkdir(join(root, 'app', 'src', 'lib'), { recursive: true });
    await writeFile(join(root, 'app', 'package.json'), JSON.stringify({ name: '@acme/billing', version: '0.9.0' }));
    expect(readAppPackage(join(root, 'app', 'src', 'lib', 'main.js'), root)).toEqual({ name: '@acme/billing', version: '0.9.0' });
    expect(readAppPackage(undefined, join(root, 'app', 'src'))).toEqual({ name: '@acme/billing', version: '0.9.0' });
    await writeFile(join(root, 'app', 'src', 'package.json'), '{ not json');
    expect(readAppPackage(join(root, 'app', 'src', 'main.js'), root)).toEqual({ name: undefined, version: undefined });
  });
});
