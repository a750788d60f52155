/**
 * The resource every span and log record carries: who (service.name/version), where (host.name,
 * container.id) and which process. Built synchronously at start so that no export waits on it.
 */
import { hostname } from 'node:os';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { readAppPackage, type AppPackage } from './app-package.js';
import { detectContainerId } from './container/detect.js';
import type { ResolvedConfig, ResourceAttributeValue } from './options.js';

/** OpenTelemetry's default when nothing names the service. */
const UNKNOWN_SERVICE = 'unknown_service:node';

export interface ResourceSources {
  containerId(): string | undefined;
  appPackage(): AppPackage;
  hostName(): string;
}

const realSources: ResourceSources = {
  containerId: () => detectContainerId(),
  appPackage: () => readAppPackage(process.argv[1], process.cwd()),
  hostName: hostname,
};

export function resourceAttributes(config: ResolvedConfig, sources: ResourceSources = realSources): Record<string, ResourceAttributeValue> {
  const app = config.serviceName === undefined || config.serviceVersion === undefined ? sources.appPackage() : undefined;
  const attributes: Record<string, ResourceAttributeValue> = {
    'host.name': sources.hostName(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    ...config.resourceAttributes,
    'service.name': config.serviceName ?? app?.name ?? UNKNOWN_SERVICE,
  };
  const version = config.serviceVersion ?? (typeof config.resourceAttributes['service.version'] === 'string' ? config.resourceAttributes['service.version'] : app?.version);
  if (version !== undefined) attributes['service.version'] = version;
  // An explicit container.id (OTEL_RESOURCE_ATTRIBUTES or the option) wins over detection.
  if (attributes['container.id'] === undefined && config.detectContainer) {
    const id = sources.containerId();
    if (id !== undefined) attributes['container.id'] = id;
  }
  return attributes;
}

export function buildResource(attributes: Record<string, ResourceAttributeValue>): Resource {
  return defaultResource().merge(resourceFromAttributes(attributes));
}
