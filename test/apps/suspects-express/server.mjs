// A containerized Express service for test/docker-suspects.test.ts: it runs instrumented by
// @tracedock/sdk (node --import @tracedock/sdk/register server.mjs) from the repo mounted
// read-only, and spends a fixed amount of CPU time per request, so that a CPU limit or a
// busy neighbour makes the request slow and nothing else does.
import express from 'express';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
const MAX_CPU_MS = 2000;

/** Busy-loops until this process has used `cpuMs` of CPU time (not wall time: throttling stretches wall time only). */
function burnCpu(cpuMs) {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x = (x * 31 + i) % 1_000_003;
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= cpuMs) return x;
  }
}

const app = express();
app.get('/health', (_req, res) => {
  res.json({ ok: true });
});
app.get('/work', (req, res) => {
  const cpuMs = Math.min(Number(req.query.cpuMs ?? 100) || 100, MAX_CPU_MS);
  const started = performance.now();
  burnCpu(cpuMs);
  res.json({ cpuMs, wallMs: Math.round(performance.now() - started) });
});

const server = app.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
