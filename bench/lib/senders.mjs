/**
 * N concurrent senders, each one request in flight at a time, over a pool of pre-built
 * requests (./trace-pool.mjs) until a deadline. Only spans answered 200 / OK count; a
 * refused request (429, 503, RESOURCE_EXHAUSTED) waits briefly and is retried unchanged.
 *
 *   const result = await runSenders({ transport, pool, encoding: 'proto', senders: 4, seconds: 10, counter });
 *   result.ackedSpans, result.refusals, result.lastAckMillis, result.samples
 */
import { largestRequestBytes, stamp } from './trace-pool.mjs';

/** A sender gives up (and fails the bench) after this many failures in a row. */
const MAX_FAILURES_IN_A_ROW = 5;

function sleep(millis) {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

/**
 * A send counter shared by every run against one collector, so that no two sends carry the
 * same trace ids.
 */
export function makeCounter(start = 1) {
  let next = start;
  return () => {
    const value = next;
    next = (next + 1) >>> 0;
    return value;
  };
}

/**
 * @param {{ transport: { send(bytes: Uint8Array): Promise<object> }, pool: object[],
 *   encoding: 'proto' | 'json', senders: number, seconds: number, nextCounter: () => number,
 *   retryWaitMillis: number, keepSamples?: number }} options
 * @returns {Promise<{ ackedSpans: number, ackedRequests: number, refusals: number,
 *   firstSendMillis: number, lastAckMillis: number,
 *   samples: { entry: object, counter: number }[], failures: number, lastFailure: string }>}
 */
export async function runSenders({ transport, pool, encoding, senders, seconds, nextCounter, retryWaitMillis, keepSamples = 3 }) {
  const scratchBytes = largestRequestBytes(pool);
  const result = {
    ackedSpans: 0,
    ackedRequests: 0,
    refusals: 0,
    firstSendMillis: performance.now(),
    lastAckMillis: 0,
    samples: [],
    failures: 0,
    lastFailure: '',
  };
  const deadline = result.firstSendMillis + seconds * 1000;
  let nextEntry = 0;
  // Reservoir sampling: every acknowledged request is equally likely to be verified.
  const remember = (entry, counter) => {
    if (result.samples.length < keepSamples) result.samples.push({ entry, counter });
    else {
      const slot = Math.floor(Math.random() * result.ackedRequests);
      if (slot < keepSamples) result.samples[slot] = { entry, counter };
    }
  };

  const sender = async () => {
    const scratch = Buffer.allocUnsafe(scratchBytes);
    let failuresInARow = 0;
    while (performance.now() < deadline) {
      const entry = pool[nextEntry];
      nextEntry = (nextEntry + 1) % pool.length;
      const counter = nextCounter();
      const body = stamp(entry, encoding, scratch, counter);
      // The same bytes are resent until accepted or the time is up.
      while (true) {
        const outcome = await transport.send(body);
        if (outcome.kind === 'ok') {
          failuresInARow = 0;
          result.ackedSpans += entry.spanCount;
          result.ackedRequests += 1;
          result.lastAckMillis = performance.now();
          remember(entry, counter);
          break;
        }
        if (outcome.kind === 'refused') {
          result.refusals += 1;
          const hinted = Number.isFinite(outcome.retryAfterSeconds) ? outcome.retryAfterSeconds * 1000 : retryWaitMillis;
          // Brief, jittered: Retry-After is a ceiling here, or the collector would sit idle.
          await sleep(Math.min(hinted, retryWaitMillis) * (0.5 + Math.random()));
        } else {
          failuresInARow += 1;
          result.failures += 1;
          result.lastFailure = `${outcome.status}: ${outcome.message}`;
          if (failuresInARow >= MAX_FAILURES_IN_A_ROW) {
            throw new Error(`${MAX_FAILURES_IN_A_ROW} sends failed in a row; last: ${outcome.status}: ${outcome.message}`);
          }
          await sleep(retryWaitMillis);
        }
        if (performance.now() >= deadline) break;
      }
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  return result;
}

/**
 * Paced load: `requestsPerSecond` requests spread evenly over `seconds` (a 10 ms tick issues
 * what is due), at most `maxInFlight` at once; each is resent after a refusal until it is
 * acknowledged or `graceMillis` after the deadline. When the collector is slower than the
 * pace, requests fall behind rather than pile up: `behindRequests` says how many were due but
 * never sent.
 *
 *   const result = await runPaced({ transport, requestsPerSecond: 200, seconds: 30,
 *     makeBody: (scratch) => ({ bytes, records: 100 }), scratchBytes, maxInFlight: 8 });
 *
 * @param {{ transport: { send(bytes: Uint8Array): Promise<object> }, requestsPerSecond: number,
 *   seconds: number, makeBody: (scratch: Buffer) => { bytes: Uint8Array, records: number },
 *   scratchBytes: number, maxInFlight?: number, retryWaitMillis?: number, graceMillis?: number }} options
 * @returns {Promise<{ ackedRecords: number, ackedRequests: number, refusals: number, failures: number,
 *   lastFailure: string, behindRequests: number, firstSendMillis: number, lastAckMillis: number }>}
 */
export async function runPaced({
  transport,
  requestsPerSecond,
  seconds,
  makeBody,
  scratchBytes,
  maxInFlight = 8,
  retryWaitMillis = 50,
  graceMillis = 30_000,
}) {
  const TICK_MILLIS = 10;
  const result = {
    ackedRecords: 0,
    ackedRequests: 0,
    refusals: 0,
    failures: 0,
    lastFailure: '',
    behindRequests: 0,
    firstSendMillis: performance.now(),
    lastAckMillis: 0,
  };
  const deadline = result.firstSendMillis + seconds * 1000;
  const giveUpAt = deadline + graceMillis;
  const scratches = Array.from({ length: maxInFlight }, () => Buffer.allocUnsafe(scratchBytes));
  const inFlight = new Set();
  let issued = 0;

  const sendOne = async () => {
    const scratch = scratches.pop();
    try {
      const { bytes, records } = makeBody(scratch);
      while (performance.now() < giveUpAt) {
        const outcome = await transport.send(bytes);
        if (outcome.kind === 'ok') {
          result.ackedRecords += records;
          result.ackedRequests += 1;
          result.lastAckMillis = performance.now();
          return;
        }
        if (outcome.kind === 'refused') result.refusals += 1;
        else {
          result.failures += 1;
          result.lastFailure = `${outcome.status}: ${outcome.message}`;
        }
        await sleep(retryWaitMillis * (0.5 + Math.random()));
      }
    } finally {
      scratches.push(scratch);
    }
  };

  while (true) {
    const now = performance.now();
    const due = Math.floor((Math.min(now, deadline) - result.firstSendMillis) / 1000 * requestsPerSecond);
    while (issued < due && inFlight.size < maxInFlight) {
      issued += 1;
      const sending = sendOne().finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
    if (now >= deadline) {
      result.behindRequests = due - issued;
      break;
    }
    await sleep(TICK_MILLIS);
  }
  await Promise.all(inFlight);
  return result;
}
