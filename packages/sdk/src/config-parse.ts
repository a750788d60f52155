/**
 * Checks for single settings: each takes the setting's name (an option path such as
 * `options.spanQueue.maxQueueSize` or an env name such as `OTEL_BSP_MAX_QUEUE_SIZE`) so that a bad
 * value fails start-up with a message naming where it came from.
 */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly setting: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`@tracedock/sdk: invalid ${setting}=${JSON.stringify(value)}: ${reason}`);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** An explicit option, named as the error message shows it. */
export const opt = (name: string, value: unknown) => ({ name: `options.${name}`, value });
/** An environment variable, named as the error message shows it. */
export const fromEnv = (env: Env, name: string) => ({ name, raw: env[name] });

/** A typed check for an option value and a parser for the same setting's env string. */
export interface Setting<T> {
  check(value: unknown, name: string): T;
  parse(raw: string, name: string): T;
}

/** Explicit option (when not undefined) beats the env variable (when set and not blank) beats the default. */
export function pick<T>(setting: Setting<T>, option: { name: string; value: unknown }, env: { name: string; raw: string | undefined }, fallback: T): T {
  if (option.value !== undefined) return setting.check(option.value, option.name);
  const raw = env.raw?.trim();
  if (raw !== undefined && raw !== '') return setting.parse(raw, env.name);
  return fallback;
}

export function integer(min: number): Setting<number> {
  const check = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw new ConfigError(name, value, `must be an integer >= ${min}`);
    }
    return value;
  };
  return {
    check,
    parse: (raw, name) => {
      if (!/^\d+$/.test(raw)) throw new ConfigError(name, raw, `must be an integer >= ${min}`);
      return check(Number(raw), name);
    },
  };
}

export const ratio: Setting<number> = {
  check(value, name) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new ConfigError(name, value, 'must be a number from 0 to 1');
    }
    return value;
  },
  parse(raw, name) {
    const value = Number(raw);
    if (raw === '' || Number.isNaN(value)) throw new ConfigError(name, raw, 'must be a number from 0 to 1');
    return ratio.check(value, name);
  },
};

export const boolean: Setting<boolean> = {
  check(value, name) {
    if (typeof value !== 'boolean') throw new ConfigError(name, value, 'must be true or false');
    return value;
  },
  parse(raw, name) {
    const lower = raw.toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    throw new ConfigError(name, raw, 'must be true or false');
  },
};

export function oneOf<const T extends string>(values: readonly T[]): Setting<T> {
  const check = (value: unknown, name: string): T => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      throw new ConfigError(name, value, `must be one of ${values.join(', ')}`);
    }
    return value as T;
  };
  return { check, parse: (raw, name) => check(raw.toLowerCase(), name) };
}

export const nonEmptyString: Setting<string> = {
  check(value, name) {
    if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(name, value, 'must be a non-empty string');
    return value;
  },
  parse: (raw, name) => nonEmptyString.check(raw, name),
};

export const httpUrl: Setting<string> = {
  check(value, name) {
    if (typeof value !== 'string') throw new ConfigError(name, value, 'must be an http:// or https:// URL');
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(name, value, 'must be an http:// or https:// URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(name, value, 'must be an http:// or https:// URL');
    }
    return value;
  },
  parse: (raw, name) => httpUrl.check(raw, name),
};

/** A comma-separated list in env, a string array as an option; `allowed` (when given) limits the items. */
export function list(allowed?: readonly string[]): Setting<string[]> {
  const check = (value: unknown, name: string): string[] => {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
      throw new ConfigError(name, value, 'must be a list of non-empty strings');
    }
    const items = value as string[];
    const unknown = allowed === undefined ? undefined : items.find((item) => !allowed.includes(item));
    if (unknown !== undefined && allowed !== undefined) {
      throw new ConfigError(name, value, `"${unknown}" is not one of ${allowed.join(', ')}`);
    }
    return items;
  };
  return {
    check,
    parse: (raw, name) =>
      check(
        raw
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
        name,
      ),
  };
}

/**
 * `key=value,key2=value2` with percent-encoded values (the W3C Baggage octet rules that
 * OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS use).
 */
export function parseKeyValues(raw: string, name: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? '' : part.slice(0, eq).trim();
    if (key === '') throw new ConfigError(name, raw, `"${part.trim()}" is not key=value`);
    try {
      result[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw new ConfigError(name, raw, `the value of "${key}" is not valid percent-encoding`);
    }
  }
  return result;
}

export function stringRecord(value: unknown, name: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(name, value, 'must be an object of strings');
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new ConfigError(`${name}.${key}`, item, 'must be a string');
  }
  return value as Record<string, string>;
}

export function attributeRecord(value: unknown, name: string): Record<string, string | number | boolean> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(name, value, 'must be an object');
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw new ConfigError(`${name}.${key}`, item, 'must be a string, number or boolean');
    }
  }
  return value as Record<string, string | number | boolean>;
}

const EXPORTERS = ['otlp', 'none'] as const;

/** A boolean option, or OpenTelemetry's exporter name in env (`otlp`, or `none` to turn the signal off). */
export function exporterEnabled(option: { name: string; value: unknown }, envVar: { name: string; raw: string | undefined }): boolean {
  if (option.value !== undefined) return boolean.check(option.value, option.name);
  return pick(oneOf(EXPORTERS), { name: option.name, value: undefined }, envVar, 'otlp') === 'otlp';
}

/** A signal's full URL (option, then OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT), else the base endpoint + `/v1/<signal>`. */
export function signalUrl(explicit: { name: string; value: unknown }, envName: string, base: string, path: string, env: Env): string {
  const full = pick(httpUrl, explicit, fromEnv(env, envName), undefined);
  if (full !== undefined) return full;
  return `${base.replace(/\/+$/, '')}/${path}`;
}
