import type { Attributes, LogRow } from '../../model/rows.js';
import type { ContainerMeta } from '../ContainerMeta.js';
import type { ParsedLine } from './parse-line.js';
import type { StdStream } from './frame-demux.js';

/** The service of a container's log lines: its Compose service, else its name. */
export function containerService(meta: ContainerMeta): string {
  return meta.service ?? meta.name;
}

/** The OpenTelemetry resource of a container's log lines, shared by all its rows. */
export function containerResource(meta: ContainerMeta): Attributes {
  return {
    'container.id': meta.id,
    'container.name': meta.name,
    'container.image.name': meta.image,
    'service.name': containerService(meta),
  };
}

export interface ContainerLogContext {
  containerId: string;
  service: string;
  resource: Attributes;
}

/**
 * A stored log record of one container line: the line's own time when it has one, else
 * Docker's; Docker's time as the observed time.
 */
export function logRow(context: ContainerLogContext, stream: StdStream, parsed: ParsedLine, dockerTimeNs: bigint): LogRow {
  return {
    timeNs: parsed.timeNs ?? dockerTimeNs,
    observedTimeNs: dockerTimeNs,
    traceId: parsed.traceId,
    spanId: parsed.spanId,
    severityNumber: parsed.severityNumber,
    severityText: parsed.severityText,
    body: parsed.body,
    attributes: parsed.attributes,
    resource: context.resource,
    service: context.service,
    scopeName: '',
    source: stream,
    containerId: context.containerId,
  };
}
