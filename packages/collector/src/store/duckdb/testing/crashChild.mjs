// Child process of the durability test: opens the store on the given file, writes spans,
// reports once the write has resolved, then dies by SIGKILL, so nothing gets to flush or
// checkpoint. Runs the TypeScript sources through Node's type stripping; the hook maps
// the `.js` specifiers of the sources onto their `.ts` files.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});

const [path, countText] = process.argv.slice(2);
const { DuckDbStore } = await import('../DuckDbStore.ts');
const { makeSpan, spanIdOf, T0_NS } = await import('./fixtures.ts');

const store = new DuckDbStore({ path });
await store.start();
const count = Number(countText);
const rows = Array.from({ length: count }, (_, i) => makeSpan({ spanId: spanIdOf(i + 1), startNs: T0_NS + BigInt(i) }));
const result = await store.writeSpans(rows);
process.stdout.write(`${JSON.stringify({ ok: result.ok })}\n`);
process.kill(process.pid, 'SIGKILL');
