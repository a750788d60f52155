/**
 * The relative-import graph of one source tree, read from disk with the TypeScript
 * compiler's own import scanner (`ts.preProcessFile`: every `import`, `import type`,
 * `export … from` and `import()`, none inside comments or strings) — so a layering test
 * needs no bundler and sees type-only imports too, as madge does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Files by path relative to the root (with `/`), each with the files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const SOURCE = /\.tsx?$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);

/** All .ts/.tsx files under `root` (not .d.ts, not node_modules or dist), relative, sorted. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push(relative(root, path).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return out.sort();
}

/** `./x.js` → `x.ts` or `x.tsx`; `./x` → the same, or `x/index.ts`; undefined if none exists. */
function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  const base = resolve(root, dirname(from), specifier);
  const stem = base.replace(/\.(js|jsx|mjs|ts|tsx)$/, '');
  const candidates = [`${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  const found = candidates.find((c) => existsSync(c));
  return found === undefined ? undefined : relative(root, found).split(sep).join('/');
}

/**
 * Edges between files under `root`. Imports of packages and of files outside `root` (shared
 * test support) are left out: they cannot close a cycle inside the tree.
 */
export function importGraph(root: string): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = new Set<string>();
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveSpecifier(root, file, fileName);
      if (target !== undefined && !target.startsWith('..')) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/**
 * Every import circle, one path per strongly connected component (Tarjan), each written
 * `a.ts > b.ts > a.ts`. Iterative, so a long chain cannot overflow the stack.
 */
export function importCycles(graph: ImportGraph): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next); low.set(start, next); next += 1; stack.push(start); onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; edge: number };
      const edges = graph.get(frame.node) ?? [];
      const to = edges[frame.edge];
      frame.edge += 1;
      if (to !== undefined) {
        if (!index.has(to)) {
          index.set(to, next); low.set(to, next); next += 1; stack.push(to); onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(to) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.push(member);
        if (member === frame.node) break;
      }
      const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  }
  return components.map((c) => cyclePath(graph, new Set(c)).join(' > '));
}

/** One concrete circle through a component: breadth-first from its first file back to it. */
function cyclePath(graph: ImportGraph, members: ReadonlySet<string>): string[] {
  const first = [...members].sort()[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [first];
  for (let i = 0; i < queue.length; i += 1) {
    const node = queue[i] as string;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === first) {
        const path = [first];
        for (let at: string | undefined = node; at !== first && at !== undefined; at = cameFrom.get(at)) path.splice(1, 0, at);
        return [...path, first];
      }
      if (!cameFrom.has(to)) { cameFrom.set(to, node); queue.push(to); }
    }
  }
  return [first, first];
}
