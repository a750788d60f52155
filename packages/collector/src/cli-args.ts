import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { defaultOf, SETTING_KEYS, SETTINGS, type Setting, type SettingKey } from './config-schema.js';
import { parseOption, type CollectorOptions } from './config.js';

/** What the command line asks for; `usage_error` exits with code 2. */
export type CliCommand =
  | { kind: 'run'; options: CollectorOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'usage_error'; message: string };

/** A setting as the CLI sees it, whatever its value type. */
interface CliSetting {
  key: SettingKey;
  setting: Setting<unknown>;
}

/** A setting with a flag: `--<name> <value>`, or `--<name>` for an off switch. */
type CliFlag = CliSetting & { name: string };

const ALL: readonly CliSetting[] = SETTING_KEYS.map((key) => ({ key, setting: SETTINGS[key] as Setting<unknown> }));
const FLAGS: readonly CliFlag[] = ALL.flatMap((entry) => (entry.setting.flag === undefined ? [] : [{ ...entry, name: entry.setting.flag }]));
const SWITCHES: readonly CliFlag[] = ALL.flatMap((entry) =>
  entry.setting.offSwitch === undefined ? [] : [{ ...entry, name: entry.setting.offSwitch }],
);
const ENV_ONLY = ALL.filter(({ setting }) => setting.flag === undefined && setting.offSwitch === undefined);

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  ...Object.fromEntries(FLAGS.map(({ name }) => [name, { type: 'string' as const }])),
  ...Object.fromEntries(SWITCHES.map(({ name }) => [name, { type: 'boolean' as const }])),
} satisfies ParseArgsOptionsConfig;

function shownDefault({ key, setting }: CliSetting): string {
  if (setting.shownDefault !== undefined) return setting.shownDefault;
  const value = defaultOf(key);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return value === '' ? "''" : String(value);
}

function setOption<K extends SettingKey>(options: CollectorOptions, key: K, raw: unknown, source: string): void {
  options[key] = parseOption(key, raw, source);
}

/** The --help text: every setting with its flag (if any), environment variable and default. */
export function usage(): string {
  const flags = FLAGS.map((entry) => {
    const { help, env } = entry.setting;
    return `  --${entry.name} <value>\n      ${help}\n      env ${env}, default ${shownDefault(entry)}`;
  });
  const switches = SWITCHES.map(({ name, setting }) => `  --${name}\n      ${setting.help}\n      env ${setting.env}=off`);
  const envOnly = ENV_ONLY.map((entry) => `  ${entry.setting.env}\n      ${entry.setting.help}\n      default ${shownDefault(entry)}`);
  return [
    'Usage: tracedock [flags]',
    '',
    'Runs the tracedock collector: OTLP receivers, embedded store, query API and UI.',
    'Flags beat environment variables, which beat the defaults.',
    '',
    'Flags:',
    ...flags,
    ...switches,
    '  -h, --help      print this help',
    '  -v, --version   print the version',
    '',
    'Environment variables without a flag:',
    ...envOnly,
    '',
  ].join('\n');
}

/**
 * Parses argv (without node and the script) into a command; never throws.
 * @example parseCliArgs(['--ui-port', '0']) // { kind: 'run', options: { uiPort: 0 } }
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { kind: 'usage_error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const options: CollectorOptions = {};
  for (const { key, name } of FLAGS) {
    const raw = values[name];
    if (typeof raw !== 'string') continue;
    try {
      setOption(options, key, raw, `--${name}`);
    } catch (error) {
      return { kind: 'usage_error', message: error instanceof Error ? error.message : String(error) };
    }
  }
  for (const { key, name } of SWITCHES) {
    // An off switch's setting is on/off, so false always passes its kind.
    if (values[name] === true) setOption(options, key, false, `--${name}`);
  }
  return { kind: 'run', options };
}
