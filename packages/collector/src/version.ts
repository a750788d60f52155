import { readFileSync } from 'node:fs';

/** src/ and dist/ sit at the same depth, so one relative URL finds package.json from both. */
const PACKAGE_JSON = new URL('../package.json', import.meta.url);

function readVersion(): string {
  const parsed: unknown = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8'));
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
    return parsed.version;
  }
  throw new Error(`${PACKAGE_JSON.pathname} has no "version" string`);
}

/** The collector's version, from its package.json. */
export const VERSION: string = readVersion();
