/**
 * The running app's own package.json (nearest one above the entry script, else above the working
 * directory): its name is the default `service.name`, its version the default `service.version`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface AppPackage {
  name: string | undefined;
  version: string | undefined;
}

function readPackage(dir: string): AppPackage | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null) return { name: undefined, version: undefined };
    const { name, version } = json as { name?: unknown; version?: unknown };
    return {
      name: typeof name === 'string' && name.trim() !== '' ? name : undefined,
      version: typeof version === 'string' && version.trim() !== '' ? version : undefined,
    };
  } catch {
    return { name: undefined, version: undefined };
  }
}

function nearestPackage(start: string): AppPackage | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const found = readPackage(dir);
    if (found !== undefined) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

/** `entryScript`: the script node was started with (process.argv[1]), undefined for a REPL or -e. */
export function readAppPackage(entryScript: string | undefined, cwd: string): AppPackage {
  return (entryScript === undefined ? undefined : nearestPackage(dirname(entryScript))) ?? nearestPackage(cwd) ?? { name: undefined, version: undefined };
}
