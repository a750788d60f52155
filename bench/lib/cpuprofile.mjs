/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function, self time
 * per pipeline stage (decode, HTTP, DuckDB appends, JSON...), and inclusive time of the
 * functions that mark each stage. Only the JS thread is sampled: DuckDB's own threads and
 * V8's GC helper threads are not in it (bench/ingest.mjs prints their CPU from /proc).
 *
 *   node bench/lib/cpuprofile.mjs collector.cpuprofile [--top 25]
 *   import { summariseProfile, formatSummary } from './lib/cpuprofile.mjs';
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Stage of a frame, first match wins; the order matters (collector code before node:). */
const STAGES = [
  [(f) => ['(idle)', '(program)', '(garbage collector)'].includes(f.functionName) && f.url === '', (f) => f.functionName],
  [(f) => f.url === '' && f.functionName === 'stringify', () => 'JSON.stringify (attribute columns, responses)'],
  [(f) => f.url === '' && f.functionName === 'parse', () => 'JSON.parse (OTLP/JSON bodies)'],
  [(f) => f.url.includes('/receivers/otlp/') || f.url.includes('@bufbuild/protobuf'), () => 'decode (receivers/otlp; JSON.parse inlined there)'],
  [(f) => f.url.includes('/store/duckdb/'), () => 'store JS (store/duckdb: row appenders, JSON encode)'],
  [(f) => f.url.includes('@duckdb/'), () => 'DuckDB binding (appender calls, native)'],
  [(f) => f.url.includes('/pipeline/'), () => 'queue (pipeline/)'],
  [(f) => f.url.includes('/receivers/otlp-grpc') || f.url.includes('@grpc/grpc-js') || f.url.includes('node:internal/http2') || f.url === 'node:http2', () => 'gRPC (grpc-js, http2)'],
  [(f) => f.url.includes('/receivers/'), () => 'HTTP receiver (receivers/http, otlp-http)'],
  [(f) => /node:(_http|http|internal\/http|net|internal\/stream|stream|internal\/streams|events|internal\/event_target|internal\/net)/.test(f.url), () => 'node:http / net / streams'],
  [(f) => f.url.includes('/api/') || f.url.includes('express') || f.url.includes('router'), () => 'query API (/metrics polling, express)'],
  [(f) => f.url.includes('pino') || f.url.includes('sonic-boom'), () => 'logging (pino)'],
  [(f) => f.url === '' && f.functionName !== '', (f) => `builtin ${f.functionName}`],
];

/** Functions whose inclusive time shows a stage of the ingest path, when they appear. */
const MARKERS = [
  'readBody', 'traces', 'decodeTraceRequest', 'offer', 'push', 'appendSpans', 'appendAll', 'appendSpan',
  'encodeAttributes', 'encodeEvents', 'encodeLinks', 'closeSync', 'sendExportResponse', 'parserOnIncoming',
  'parserOnHeadersComplete', 'onStreamRead', 'render', 'handleUnaryRequest', 'Export',
];

function stageOf(frame) {
  for (const [test, name] of STAGES) if (test(frame)) return name(frame);
  return 'other';
}

function where(frame) {
  if (frame.url === '') return '';
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const short = path.startsWith(REPO_ROOT) ? path.slice(REPO_ROOT.length) : path;
  return `${short.replace(/^.*node_modules\//, '')}:${frame.lineNumber + 1}`;
}

/**
 * @returns {{ totalMillis: number, functions: { name: string, where: string, stage: string, selfMillis: number }[],
 *   stages: { stage: string, selfMillis: number }[], markers: { name: string, where: string, inclusiveMillis: number }[] }}
 */
export function summariseProfile(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfMicros = new Map();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const functions = new Map();
  const stages = new Map();
  const markers = new Map();
  let totalMicros = 0;
  for (const [id, micros] of selfMicros) {
    totalMicros += micros;
    const frame = byId.get(id).callFrame;
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const entry = functions.get(key) ?? { name: frame.functionName || '(anonymous)', where: where(frame), stage: stageOf(frame), selfMicros: 0 };
    entry.selfMicros += micros;
    functions.set(key, entry);
    stages.set(entry.stage, (stages.get(entry.stage) ?? 0) + micros);
    // Inclusive time of marker functions: once per sample even under recursion.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const f = byId.get(at).callFrame;
      if (!MARKERS.includes(f.functionName)) continue;
      const markerKey = `${f.functionName}|${f.url}|${f.lineNumber}`;
      if (seen.has(markerKey)) continue;
      seen.add(markerKey);
      const marker = markers.get(markerKey) ?? { name: f.functionName, where: where(f), inclusiveMicros: 0 };
      marker.inclusiveMicros += micros;
      markers.set(markerKey, marker);
    }
  }
  const millis = (micros) => micros / 1000;
  return {
    totalMillis: millis(totalMicros),
    functions: [...functions.values()]
      .sort((a, b) => b.selfMicros - a.selfMicros)
      .map(({ selfMicros, ...rest }) => ({ ...rest, selfMillis: millis(selfMicros) })),
    stages: [...stages].map(([stage, micros]) => ({ stage, selfMillis: millis(micros) })).sort((a, b) => b.selfMillis - a.selfMillis),
    markers: [...markers.values()]
      .filter((m) => m.where.startsWith('packages/') || m.where.startsWith('node:') || m.where.startsWith('@'))
      .sort((a, b) => b.inclusiveMicros - a.inclusiveMicros)
      .map(({ inclusiveMicros, ...rest }) => ({ ...rest, inclusiveMillis: millis(inclusiveMicros) })),
  };
}

/** Text lines: stages, top functions by self time, marker functions by inclusive time. */
export function formatSummary(summary, { top = 25 } = {}) {
  const { totalMillis } = summary;
  // Shares of the busy time: idle is where the JS thread waited, not where it worked.
  const idle = summary.stages.find((s) => s.stage === '(idle)')?.selfMillis ?? 0;
  const busy = totalMillis - idle;
  const pct = (ms) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const lines = [
    `JS thread: ${(totalMillis / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (${((100 * busy) / totalMillis).toFixed(0)}%); shares below are of busy time`,
    '  self time by stage:',
  ];
  for (const { stage, selfMillis } of summary.stages) {
    if (stage === '(idle)' || selfMillis < busy * 0.003) continue;
    lines.push(`    ${pct(selfMillis)}  ${stage}`);
  }
  lines.push(`  top ${top} functions by self time:`);
  for (const f of summary.functions.filter((fn) => fn.name !== '(idle)').slice(0, top)) {
    lines.push(`    ${pct(f.selfMillis)}  ${f.name.padEnd(32)} ${f.where}`);
  }
  lines.push('  inclusive time of stage functions:');
  for (const m of summary.markers.slice(0, 16)) lines.push(`    ${pct(m.inclusiveMillis)}  ${m.name.padEnd(32)} ${m.where}`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
  if (positionals.length === 0) {
    console.error('usage: node bench/lib/cpuprofile.mjs <file.cpuprofile>... [--top 25]');
    process.exit(2);
  }
  for (const file of positionals) {
    console.log(file);
    for (const line of formatSummary(summariseProfile(JSON.parse(readFileSync(file, 'utf8'))), { top: Number(values.top) })) {
      console.log(line);
    }
  }
}
