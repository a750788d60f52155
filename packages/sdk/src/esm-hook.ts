/**
 * ES modules are linked before any code of theirs runs, so instrumentations can only patch what an
 * ESM app imports through a loader hook registered first (OpenTelemetry's
 * @opentelemetry/instrumentation/hook.mjs, i.e. import-in-the-middle). CommonJS apps are patched
 * through require() and need nothing here. The hook is told which modules to wrap: wrapping every
 * module an app imports measured ~0.8 s more start-up for an Express app. Registered at most once.
 */
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const REGISTERED = Symbol.for('@tracedock/sdk.esm-hook');

export function registerEsmHook(include: readonly string[]): void {
  const registry = globalThis as { [REGISTERED]?: boolean };
  // Worker threads share the process's hooks; registering from one would start another loader thread.
  if (registry[REGISTERED] === true || !isMainThread || include.length === 0) return;
  registry[REGISTERED] = true;
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: [...include] } });
}
