import { z } from 'zod';
import { MEMORY_LIMIT_MIN_BYTES, memoryLimitBytes } from './store/duckdb/database-settings.js';
import { parseStoreSetting } from './store/store-setting.js';

/**
 * The kinds of value a setting takes (config-schema.ts). Each is a zod schema that reads what an
 * option, an environment variable or a flag gives (a number or its text, a boolean or on/off),
 * with the phrase that completes "<source> must be ...". A secret's value is never echoed.
 */
export interface ValueKind<T> {
  schema: z.ZodType<T>;
  expected: string;
  /** Tokens, and the store URL (its password): the error names the setting, not the value. */
  secret?: boolean;
}

/** An issue whose message says more than "must be <expected>" (what is wrong in a store URL). */
const REASON = { reason: true };

/**
 * Parses one raw value, or throws naming `source` (an option, a variable, a flag) and the value.
 * @example parseValue(integer(0, 65535), 'abc', '--ui-port') // throws '--ui-port must be an integer from 0 to 65535, got "abc"'
 */
export function parseValue<T>(kind: ValueKind<T>, raw: unknown, source: string): T {
  const result = kind.schema.safeParse(raw);
  if (result.success) return result.data;
  const reason = result.error.issues.find((issue) => issue.code === 'custom' && issue.params?.['reason'] === true);
  if (reason !== undefined) throw new Error(`${source}: ${reason.message}`);
  throw new Error(`${source} must be ${kind.expected}${kind.secret === true ? '' : `, got ${JSON.stringify(raw)}`}`);
}

/** Environment variables and flags are text: ' 12 ' reads as 12, '' stays text (and fails). */
function numberFromText(raw: unknown): unknown {
  return typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
}

export function integer(min: number, max: number): ValueKind<number> {
  return {
    schema: z.preprocess(numberFromText, z.number().int().min(min).max(max)),
    expected: `an integer from ${min} to ${max}`,
  };
}

export const positive: ValueKind<number> = {
  schema: z.preprocess(numberFromText, z.number().positive()),
  expected: 'a positive number',
};

export const text: ValueKind<string> = { schema: z.string().regex(/\S/), expected: 'a non-empty string' };

export function oneOf<const T extends readonly [string, ...string[]]>(values: T): ValueKind<T[number]> {
  return { schema: z.enum(values), expected: `one of ${values.join(', ')}` };
}

/** on/off, true/false, 1/0, yes/no in any case, or a boolean option. */
export const onOff: ValueKind<boolean> = {
  schema: z.union([
    z.boolean(),
    z.string().trim().pipe(z.stringbool({ truthy: ['on', 'true', '1', 'yes'], falsy: ['off', 'false', '0', 'no'] })),
  ]),
  expected: 'on or off',
};

/** unix:///abs/path or tcp://host:port, as DOCKER_HOST spells them; TLS and ssh are not supported. */
export const dockerEndpoint: ValueKind<string> = {
  schema: z.string().trim().regex(/^(?:unix:\/\/\/.+|tcp:\/\/[^/:\s]+:\d{1,5}\/?)$/),
  expected: 'unix:///path/to/docker.sock or tcp://host:port',
};

/** An access token setting (auth/tokens.ts): `auto`, `off` or the token itself. */
export type TokenSetting = 'auto' | 'off' | (string & {});

/** A token is 16 to 512 printable ASCII characters without spaces, so it fits a header as is. */
export const token: ValueKind<TokenSetting> = {
  schema: z.union([z.enum(['auto', 'off']), z.string().regex(/^[\x21-\x7e]{16,512}$/)]),
  expected: 'auto, off or a token of 16 to 512 printable characters without spaces',
  secret: true,
};

/** A host name as DNS spells one (letters, digits, dots, dashes, underscores); '' for auto. */
export const hostName: ValueKind<string> = {
  schema: z.string().trim().regex(/^[A-Za-z0-9._-]{0,253}$/),
  expected: "a host name (letters, digits, '.', '-', '_'; at most 253) or empty for the Docker engine's name",
};

/** `duckdb` or a clickhouse:// URL (store-setting.ts), whose own error masks the password. */
export const storeUrl: ValueKind<string> = {
  schema: z.string().transform((value, ctx) => {
    try {
      parseStoreSetting(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error), params: REASON });
      return z.NEVER;
    }
    return value.trim();
  }),
  expected: 'duckdb or a clickhouse:// URL',
  secret: true,
};

/** DuckDB's memory_limit syntax, at least what one default batch needs (database-settings.ts). */
export const duckdbMemory: ValueKind<string> = {
  schema: z
    .string()
    .trim()
    .refine((value) => (memoryLimitBytes(value) ?? 0) >= MEMORY_LIMIT_MIN_BYTES),
  expected: `a size of at least ${MEMORY_LIMIT_MIN_BYTES / 1024 / 1024}MiB with its unit, as DuckDB's memory_limit takes it (512MB, 2GiB)`,
};
