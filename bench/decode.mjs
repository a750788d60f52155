/**
 * OTLP decode throughput on one core: spans/s for batches of 100 spans x 10 attributes,
 * decoded to SpanRows by the collector's decoders (packages/collector/dist — build first:
 * `npx tsc --build`). Variants:
 *   proto/bufbuild    hand-written decode over @bufbuild/protobuf's BinaryReader (shipped)
 *   proto/protobufjs  the same decode over protobufjs's Reader
 *   json              OTLP/JSON (JSON.parse with exact int64s + checked mapping)
 *
 * Each variant runs in its own processes so that one cannot change how V8 optimises another,
 * and the variants' processes take turns so that load from elsewhere falls on all alike.
 * Rates are spans per CPU-second of the process (GC threads included), which other processes
 * on the machine disturb far less than wall time; the wall-clock rate is printed beside it.
 *
 *   node bench/decode.mjs [--quick] [--seconds 1] [--rounds 5] [--runs 5] [--spans 100] [--attrs 10]
 *
 * Writes its figures to bench/results/decode.json (lib/report.mjs) for BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeTraceRequest } from './lib/payload.mjs';
import { createReport } from './lib/report.mjs';
import { median } from './lib/stats.mjs';

const DIST = new URL('../packages/collector/dist/receivers/otlp/', import.meta.url);
const VARIANTS = ['proto/bufbuild', 'proto/protobufjs', 'json'];
/** The figure measured for this environment before tracedock had its own decoders. */
const ENVIRONMENT_SPANS_PER_SECOND = 266_000;
const BATCHES_PER_CHECK = 50;

const { values } = parseArgs({
  options: {
    variant: { type: 'string' },
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    runs: { type: 'string' },
    spans: { type: 'string', default: '100' },
    attrs: { type: 'string', default: '10' },
  },
});

/** --quick: one short process per variant; explicit flags still win. */
values.seconds ??= values.quick ? '0.3' : '1';
values.rounds ??= values.quick ? '2' : '5';
values.runs ??= values.quick ? '1' : '5';

async function decoderFor(variant) {
  if (variant === 'json') {
    const { jsonDecoder } = await import(new URL('json.js', DIST).href);
    return { decoder: jsonDecoder, bodyOf: (request) => new TextEncoder().encode(request.json) };
  }
  const { makeProtoDecoder } = await import(new URL('proto.js', DIST).href);
  const readers =
    variant === 'proto/bufbuild'
      ? (await import(new URL('wire-bufbuild.js', DIST).href)).bufbuildWireReader
      : (await import(new URL('wire-protobufjs.js', DIST).href)).protobufjsWireReader;
  return { decoder: makeProtoDecoder(readers), bodyOf: (request) => request.proto };
}

function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Runs one variant in this process and prints its rounds as one JSON line. */
async function runVariant(variant) {
  const request = makeTraceRequest({ spans: Number(values.spans), attrs: Number(values.attrs) });
  const { decoder, bodyOf } = await decoderFor(variant);
  const body = bodyOf(request);
  const check = decoder.traces(body);
  if (!check.ok || check.rows.length !== request.spanCount) {
    throw new Error(`${variant} decoded ${check.ok ? check.rows.length : check.message}, expected ${request.spanCount} spans`);
  }
  const measureSeconds = Number(values.seconds);
  const cpuRates = [];
  const wallRates = [];
  // Round -1 is warm-up: V8 optimises the decoder while it runs.
  for (let round = -1; round < Number(values.rounds); round++) {
    let batches = 0;
    const wallStart = performance.now();
    const cpuStart = cpuSeconds();
    let wall = 0;
    while (wall < measureSeconds) {
      for (let i = 0; i < BATCHES_PER_CHECK; i++) decoder.traces(body);
      batches += BATCHES_PER_CHECK;
      wall = (performance.now() - wallStart) / 1000;
    }
    const cpu = cpuSeconds() - cpuStart;
    if (round >= 0) {
      cpuRates.push(Math.round((batches * request.spanCount) / cpu));
      wallRates.push(Math.round((batches * request.spanCount) / wall));
    }
  }
  console.log(JSON.stringify({ variant, bodyBytes: body.length, cpuRates, wallRates }));
}

async function runAll() {
  const self = fileURLToPath(import.meta.url);
  const passThrough = ['--seconds', values.seconds, '--rounds', values.rounds, '--spans', values.spans, '--attrs', values.attrs];
  console.log(
    `OTLP trace decode, ${values.spans} spans x ${values.attrs} attributes per request, one core; ` +
      `${values.runs} processes x ${values.rounds} rounds x ${values.seconds}s per variant`,
  );
  const results = new Map(VARIANTS.map((variant) => [variant, { cpuRates: [], wallRates: [], runRates: [], bodyBytes: 0 }]));
  for (let run = 0; run < Number(values.runs); run++) {
    for (const variant of VARIANTS) {
      const out = execFileSync(process.execPath, [self, '--variant', variant, ...passThrough], { encoding: 'utf8' });
      const result = JSON.parse(out.trim().split('\n').at(-1));
      const into = results.get(variant);
      into.cpuRates.push(...result.cpuRates);
      into.wallRates.push(...result.wallRates);
      into.runRates.push(median(result.cpuRates));
      into.bodyBytes = result.bodyBytes;
    }
  }
  const perCpuSecond = new Map();
  for (const [variant, { cpuRates, wallRates, bodyBytes }] of results) {
    const rate = median(cpuRates);
    perCpuSecond.set(variant, rate);
    console.log(
      `  ${variant.padEnd(17)} ${String(rate).padStart(7)} spans/CPU-s (${(rate / ENVIRONMENT_SPANS_PER_SECOND).toFixed(2)}x ` +
        `the environment's ${ENVIRONMENT_SPANS_PER_SECOND}); wall ${median(wallRates)} spans/s; body ${bodyBytes} bytes`,
    );
  }
  const ratio = perCpuSecond.get('proto/bufbuild') / perCpuSecond.get('proto/protobufjs');
  console.log(`  bufbuild reader / protobufjs reader: ${ratio.toFixed(2)}x`);
  await writeReport(results);
}

async function writeReport(results) {
  const report = createReport('decode', {
    quick: values.quick,
    params: { spans: Number(values.spans), attrs: Number(values.attrs), runs: Number(values.runs), rounds: Number(values.rounds), seconds: Number(values.seconds) },
  });
  for (const [variant, { cpuRates, bodyBytes }] of results) {
    report.figure({ id: `${variant}.cpu`, label: `${variant} decode, one core (${bodyBytes} B per request)`, unit: 'spans/CPU-s', values: cpuRates });
  }
  const bufbuild = results.get('proto/bufbuild').runRates;
  const protobufjs = results.get('proto/protobufjs').runRates;
  const json = results.get('json').runRates;
  report.ratio({ id: 'bufbuild/protobufjs', label: 'bufbuild reader / protobufjs reader (per process pair)', values: bufbuild.map((rate, i) => rate / protobufjs[i]) });
  report.ratio({ id: 'json/proto', label: 'OTLP/JSON / protobuf decode speed', values: json.map((rate, i) => rate / bufbuild[i]) });
  report.note(`Values are spans per CPU-second of one round each (${values.rounds} rounds x ${values.runs} processes per variant). ingest.mjs measures decode-only beside end to end for its ratio goal.`);
  console.log(`  figures in ${await report.write()}`);
}

if (values.variant) await runVariant(values.variant);
else await runAll();
