/**
 * The layers settings come from, highest first: flags, the process
 * environment, a .env file, a JSON config file (config-file-layer.ts).
 * Building a layer records the problems of the layer itself (unknown names,
 * passwords on the command line); the values are parsed later, by whoever
 * resolves the setting.
 */
import { t } from '../i18n/i18n.js';
import { parseEnvText } from './env-file-text.js';
import { pathFor } from './platform-path.js';
import {
  CONFIG_ENV,
  ENV_FILE_ENV,
  ENV_PREFIX,
  PASSWORD_KEYS,
  SETTING_KEYS,
  envNameFor,
  type SettingKey,
} from './settings.js';
import { unknownSettingMessage } from './suggest.js';

/** Settings, plus the two that say where the other settings are. */
export type LayerKey = SettingKey | 'config' | 'env-file';

export interface RawSetting {
  readonly value: unknown;
  /** The name in its layer: `--concurrency`, `SYNC_DBS_BACKUP_URL`, `primary-url`. */
  readonly name: string;
  /** The layer: `flag`, `environment`, `.env file /x/.env`, `config file /x/sync.json`. */
  readonly source: string;
  /** How problems name it: `--concurrency (flag)`, `SYNC_DBS_BACKUP_URL (.env file /x/.env)`. */
  readonly label: string;
  /** Where relative paths given by this layer are resolved. */
  readonly baseDir: string;
}

export type LayerKind = 'flag' | 'environment' | 'env-file' | 'config-file';

export interface Layer {
  readonly kind: LayerKind;
  readonly values: ReadonlyMap<LayerKey, RawSetting>;
  /** True for a config file giving its backups as a `backups` list. */
  readonly backupsList?: boolean;
}

export type Problems = string[];

/** The value from the highest layer that gives it. */
export function findSetting(layers: readonly Layer[], key: LayerKey): RawSetting | undefined {
  for (const layer of layers) {
    const found = layer.values.get(key);
    if (found !== undefined) return found;
  }
  return undefined;
}

const FLAG_KEYS: ReadonlySet<string> = new Set<string>([...SETTING_KEYS.filter((key) => !PASSWORD_KEYS.includes(key)), 'config', 'env-file']);

/**
 * Flags as the CLI gives them: kebab-case names, only those the user gave.
 * Other names (the CLI's own options) are not ours and are ignored.
 */
export function flagLayer(flags: Readonly<Record<string, unknown>>, cwd: string, problems: Problems): Layer {
  const values = new Map<LayerKey, RawSetting>();
  for (const [name, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const flagName = `--${name}`;
    const label = t('config:label', { name: flagName, source: t('config:source.flag') });
    if ((PASSWORD_KEYS as readonly string[]).includes(name)) {
      const server = name.replace(/-password$/, '');
      problems.push(`${label}: ${t('config:flag.password', { env: envNameFor(`${server}-password`), fileEnv: envNameFor(`${server}-password-file`) })}`);
      continue;
    }
    if (!FLAG_KEYS.has(name)) continue;
    if (Array.isArray(value)) {
      problems.push(`${label}: ${t('config:flag.repeated')}`);
      continue;
    }
    values.set(name as LayerKey, { value, name: flagName, source: t('config:source.flag'), label, baseDir: cwd });
  }
  return { kind: 'flag', values };
}

const KEY_BY_ENV_NAME: ReadonlyMap<string, LayerKey> = new Map<string, LayerKey>([
  ...SETTING_KEYS.map((key): [string, LayerKey] => [envNameFor(key), key]),
  [CONFIG_ENV, 'config'],
  [ENV_FILE_ENV, 'env-file'],
]);
const KNOWN_ENV_NAMES = [...KEY_BY_ENV_NAME.keys()];

interface EnvStyleOptions {
  readonly kind: 'environment' | 'env-file';
  readonly source: string;
  readonly baseDir: string;
  readonly platform: NodeJS.Platform;
}

/**
 * SYNC_DBS_* variables, from the environment or a .env file. Unknown
 * SYNC_DBS_* names are problems (typo protection); their values are never
 * quoted, since one may be a misspelt password variable.
 */
function envStyleLayer(vars: Readonly<Record<string, string | undefined>>, options: EnvStyleOptions, problems: Problems): Layer {
  const values = new Map<LayerKey, RawSetting>();
  for (const [rawName, value] of Object.entries(vars)) {
    if (value === undefined || !rawName.toUpperCase().startsWith(ENV_PREFIX)) continue;
    // Windows environment names are case-insensitive.
    const name = options.platform === 'win32' ? rawName.toUpperCase() : rawName;
    const label = t('config:label', { name, source: options.source });
    const key = KEY_BY_ENV_NAME.get(name);
    if (key === undefined) {
      problems.push(`${label}: ${unknownSettingMessage(name, KNOWN_ENV_NAMES)}`);
    } else if (key === 'env-file' && options.kind === 'env-file') {
      problems.push(`${label}: ${t('config:envFile.nested', { env: ENV_FILE_ENV })}`);
    } else {
      values.set(key, { value, name, source: options.source, label, baseDir: options.baseDir });
    }
  }
  return { kind: options.kind, values };
}

export function environmentLayer(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  platform: NodeJS.Platform,
  problems: Problems,
): Layer {
  return envStyleLayer(env, { kind: 'environment', source: t('config:source.environment'), baseDir: cwd, platform }, problems);
}

/** A .env file's text (read by env-file-text.ts: dotenv's grammar, `#` kept inside a word; nothing touches process.env). */
export function envFileLayer(text: string, file: string, platform: NodeJS.Platform, problems: Problems): Layer {
  const options: EnvStyleOptions = { kind: 'env-file', source: t('config:source.envFile', { file }), baseDir: pathFor(platform).dirname(file), platform };
  return envStyleLayer(parseEnvText(text), options, problems);
}
