import { z } from 'zod';
import type { TimeRange } from '../store/Store.js';
import { describeTimeNs } from './query-fields.js';
import {
  containerId,
  durationMs,
  limit,
  NAME_MAX_CHARS,
  severity,
  spanId,
  status,
  textParam,
  time,
  traceId,
  unknownParams,
  VALUE_MAX_CHARS,
} from './query-params.js';

/**
 * zod schemas for every query string and path of the query API. Each parse either yields
 * store-ready values (ns as bigint, ids lowercased, defaults filled) or a ZodError whose
 * issues name the parameter, what it must be and what it got; errors.ts turns that into
 * a 400. Unknown parameters are rejected so that a typo ("servcie") is not silently ignored.
 * Needs express' 'simple' query parser: a repeated name then arrives as an array.
 */

const NS_PER_MS = 1_000_000n;
/** When a range is open on the left, it covers this much time before its end. */
export const DEFAULT_WINDOW_NS = 3_600_000n * NS_PER_MS;
export const TRACES_LIMIT_DEFAULT = 20;
export const LOGS_LIMIT_DEFAULT = 100;
export const ATTRIBUTE_FILTERS_MAX = 10;
const ATTRIBUTE_PREFIX = 'attr.';

const rangeShape = { start: time.optional(), end: time.optional() };

/** A strict object of `shape`: any other parameter is an issue listing the allowed ones. */
function strictQuery<S extends z.core.$ZodLooseShape>(shape: S, allowedExtra: readonly string[] = []) {
  const allowed = [...Object.keys(shape).filter((k) => k !== 'attr'), ...allowedExtra];
  return z.strictObject(shape, { error: unknownParams(allowed) });
}

/** end defaults to now and start to end - 1 h; start must be before end. */
function resolveRange<T extends { start?: bigint | undefined; end?: bigint | undefined }>(
  { start, end, ...rest }: T,
  ctx: z.core.$RefinementCtx,
): Omit<T, 'start' | 'end'> & TimeRange {
  const endNs = end ?? BigInt(Date.now()) * NS_PER_MS;
  const startNs = start ?? endNs - DEFAULT_WINDOW_NS;
  if (startNs >= endNs) {
    const got = `got start ${describeTimeNs(startNs)} and end ${describeTimeNs(endNs)}`;
    ctx.addIssue({ code: 'custom', path: ['start'], message: `must be before end, ${got}`, input: start });
  }
  return { ...rest, startNs, endNs };
}

/** No query parameters at all (a path-only resource). */
export const noQuery = z.strictObject({}, { error: unknownParams([]) });

export const rangeQuery = strictQuery(rangeShape).transform(resolveRange);

/**
 * A container's rows: a range, and the Docker host when a store holds many (container ids
 * are unique per host only; /api/containers and trace details give each container's host).
 */
export const containerRowsQuery = strictQuery({ ...rangeShape, host: textParam(NAME_MAX_CHARS).optional() }).transform(resolveRange);

export const traceIdPath = z.strictObject({ traceId });
export const containerIdPath = z.strictObject({ id: containerId });

/**
 * `attr.KEY=VALUE` pairs, at most ATTRIBUTE_FILTERS_MAX: equality filters on a span's
 * attributes or its resource's (deployment.environment=prod), a list matching by one of
 * its elements (Store.ts TraceQuery.attributes says how values compare).
 */
const attributeFilters = z
  .record(z.string(), textParam(VALUE_MAX_CHARS), { error: 'give attribute filters as attr.KEY=VALUE' })
  .superRefine((filters, ctx) => {
    const names = Object.keys(filters);
    if (names.length > ATTRIBUTE_FILTERS_MAX) {
      const message = `at most ${ATTRIBUTE_FILTERS_MAX} attr.KEY filters, got ${names.length}`;
      ctx.addIssue({ code: 'custom', message, input: names.length });
    }
    for (const name of names.filter((n) => n.length === 0 || n.length > NAME_MAX_CHARS)) {
      const message = `attribute name must be 1 to ${NAME_MAX_CHARS} characters`;
      ctx.addIssue({ code: 'custom', path: [name], message, input: name });
    }
  });

/** Moves `attr.KEY` entries under `attr`, so that the issue path reads "attr.KEY: ...". */
function gatherAttributeFilters(raw: unknown): unknown {
  // A literal `attr` parameter is left in place to fail the record check with a hint.
  if (typeof raw !== 'object' || raw === null || 'attr' in raw) return raw;
  const rest: Record<string, unknown> = {};
  const filters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith(ATTRIBUTE_PREFIX)) filters[key.slice(ATTRIBUTE_PREFIX.length)] = value;
    else rest[key] = value;
  }
  return Object.keys(filters).length === 0 ? rest : { ...rest, attr: filters };
}

function checkDurationOrder(
  { minDurationMs: min, maxDurationMs: max }: { minDurationMs?: bigint | undefined; maxDurationMs?: bigint | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  if (min !== undefined && max !== undefined && min > max) {
    ctx.addIssue({ code: 'custom', path: ['minDurationMs'], message: 'must not be greater than maxDurationMs', input: min });
  }
}

export const tracesQuery = z.preprocess(
  gatherAttributeFilters,
  strictQuery(
    {
      ...rangeShape,
      service: textParam(NAME_MAX_CHARS).optional(),
      operation: textParam(VALUE_MAX_CHARS).optional(),
      minDurationMs: durationMs.optional(),
      maxDurationMs: durationMs.optional(),
      status: status.optional(),
      limit: limit(TRACES_LIMIT_DEFAULT),
      attr: attributeFilters.optional(),
    },
    ['attr.KEY'],
  )
    .superRefine(checkDurationOrder)
    .transform(resolveRange),
);

export const logsQuery = strictQuery({
  ...rangeShape,
  service: textParam(NAME_MAX_CHARS).optional(),
  traceId: traceId.optional(),
  spanId: spanId.optional(),
  containerId: containerId.optional(),
  severity: severity.optional(),
  q: textParam(NAME_MAX_CHARS).optional(),
  limit: limit(LOGS_LIMIT_DEFAULT),
}).transform(resolveRange);

export const METRICS_LIMIT_DEFAULT = 200;

export const metricsQuery = strictQuery({
  ...rangeShape,
  service: textParam(NAME_MAX_CHARS).optional(),
  limit: limit(METRICS_LIMIT_DEFAULT),
}).transform(resolveRange);

/** GET /api/metrics/series: `name` is required; `attr.KEY=VALUE` filter on point attributes. */
export const metricSeriesQuery = z.preprocess(
  gatherAttributeFilters,
  strictQuery(
    {
      ...rangeShape,
      name: textParam(NAME_MAX_CHARS),
      service: textParam(NAME_MAX_CHARS).optional(),
      containerId: containerId.optional(),
      attr: attributeFilters.optional(),
    },
    ['attr.KEY'],
  ).transform(resolveRange),
);

export type TracesQueryParams = z.output<typeof tracesQuery>;
export type LogsQueryParams = z.output<typeof logsQuery>;
