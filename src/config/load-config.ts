/**
 * Loads the sync configuration. Precedence, highest first: flags, the
 * process environment, a .env file, a JSON config file, defaults. Every
 * problem is collected and thrown at once as a ConfigError; the password
 * prompt is only used when nothing else is wrong and a password is missing.
 */
import { readCaFile } from './ca-file.js';
import { ConfigError } from './config-error.js';
import { resolveGeneralSettings, type GeneralSettings } from './general-settings.js';
import {
  configFileLayer,
  envFileLayer,
  environmentLayer,
  findSetting,
  flagLayer,
  type Layer,
  type Problems,
  type RawSetting,
} from './layers.js';
import { findPasswordSource, readPasswordSource } from './password-source.js';
import { pathFor } from './platform-path.js';
import { checkServerUrl } from './server-url.js';
import { envNameFor, serverKey } from './settings.js';
import { parseSecret, parseText } from './setting-values.js';
import { type ServerConfig, type ServerName, type SyncConfig } from './sync-config.js';
import { isFileNotFound, readTextFile } from './text-file.js';

export type PasswordPrompt = (question: string) => Promise<string>;

export interface ConfigSources {
  /** Kebab-case flag name -> value, only flags the user gave (undefined values mean "not given"). */
  readonly flags: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
  /** Asks for a password on the terminal; null when there is no terminal. */
  readonly prompt: PasswordPrompt | null;
}

export async function loadSyncConfig(sources: ConfigSources): Promise<SyncConfig> {
  const problems: Problems = [];
  const layers = await loadLayers(sources, problems);
  const general = resolveGeneralSettings(layers, sources, problems);
  const primary = await resolveServer(layers, 'primary', general.allowInsecureHttp, sources.platform, problems);
  const backup = await resolveServer(layers, 'backup', general.allowInsecureHttp, sources.platform, problems);
  if (primary.url !== null && backup.url !== null && primary.url.value === backup.url.value) {
    problems.push(`${backup.url.label}: must name another server than ${primary.url.label} (both are ${primary.url.value})`);
  }
  const ca = general.caFile === null ? null : await readCaFile(general.caFile, problems);

  const missing = [primary, backup].filter((server) => server.passwordMissing);
  if (sources.prompt === null) {
    for (const server of missing) {
      problems.push(
        `${server.name} password (not given): set ${envNameFor(serverKey(server.name, 'password'))} or ` +
          `${envNameFor(serverKey(server.name, 'password-file'))}, or run in a terminal to be asked for it`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const { caFile: _caFile, ...settings } = general;
  return {
    ...settings,
    primary: await complete(primary, sources.prompt),
    backups: [await complete(backup, sources.prompt)],
    mode: 'one-way',
    conflict: 'primary',
    ca,
  };
}

/** The settings that do not need the servers (for status, history and report); server settings are not checked. */
export async function loadLocalSettings(sources: Omit<ConfigSources, 'prompt'>): Promise<LocalSettings> {
  const problems: Problems = [];
  const layers = await loadLayers(sources, problems);
  const { caFile: _caFile, ...general } = resolveGeneralSettings(layers, sources, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return general;
}

export type LocalSettings = Omit<GeneralSettings, 'caFile'>;

async function loadLayers(sources: Omit<ConfigSources, 'prompt'>, problems: Problems): Promise<Layer[]> {
  const layers: Layer[] = [
    flagLayer(sources.flags, sources.cwd, problems),
    environmentLayer(sources.env, sources.cwd, sources.platform, problems),
  ];
  const envFile = await loadEnvFile(layers, sources, problems);
  if (envFile !== null) layers.push(envFile);
  const configFile = await loadConfigFile(layers, sources.platform, problems);
  if (configFile !== null) layers.push(configFile);
  return layers;
}

async function loadEnvFile(layers: readonly Layer[], sources: Omit<ConfigSources, 'prompt'>, problems: Problems): Promise<Layer | null> {
  const paths = pathFor(sources.platform);
  const given = findSetting(layers, 'env-file');
  if (given === undefined) {
    const file = paths.resolve(sources.cwd, '.env');
    const read = await readTextFile(file);
    if (read.ok) return envFileLayer(read.text, file, sources.platform, problems);
    if (!isFileNotFound(read)) problems.push(`.env file ${file}: cannot read it: ${read.reason}`);
    return null;
  }
  const file = givenFile(given, sources.platform, problems);
  if (file === null) return null;
  const read = await readTextFile(file);
  if (read.ok) return envFileLayer(read.text, file, sources.platform, problems);
  problems.push(`${given.label}: cannot read ${file}: ${read.reason}`);
  return null;
}

async function loadConfigFile(layers: readonly Layer[], platform: NodeJS.Platform, problems: Problems): Promise<Layer | null> {
  const given = findSetting(layers, 'config');
  if (given === undefined) return null;
  const file = givenFile(given, platform, problems);
  if (file === null) return null;
  const read = await readTextFile(file);
  if (read.ok) return configFileLayer(read.text, file, given.label, platform, problems);
  problems.push(`${given.label}: cannot read ${file}: ${read.reason}`);
  return null;
}

function givenFile(given: RawSetting, platform: NodeJS.Platform, problems: Problems): string | null {
  const text = parseText(given.value);
  if (text.ok) return pathFor(platform).resolve(given.baseDir, text.value);
  problems.push(`${given.label}: ${text.problem}`);
  return null;
}

interface Labelled<T> {
  readonly value: T;
  readonly label: string;
}

interface ServerDraft {
  readonly name: ServerName;
  readonly url: Labelled<string> | null;
  readonly username: string | null;
  readonly password: string | null;
  readonly passwordMissing: boolean;
}

function requiredText(layers: readonly Layer[], key: ReturnType<typeof serverKey>, problems: Problems): Labelled<string> | null {
  const found = findSetting(layers, key);
  if (found === undefined) {
    problems.push(`--${key} (not given): required; set --${key}, ${envNameFor(key)} or "${key}" in the config file`);
    return null;
  }
  const text = parseText(found.value);
  if (text.ok) return { value: text.value, label: found.label };
  problems.push(`${found.label}: ${text.problem}`);
  return null;
}

async function resolveServer(
  layers: readonly Layer[],
  name: ServerName,
  allowInsecureHttp: boolean,
  platform: NodeJS.Platform,
  problems: Problems,
): Promise<ServerDraft> {
  let url: Labelled<string> | null = null;
  const rawUrl = requiredText(layers, serverKey(name, 'url'), problems);
  if (rawUrl !== null) {
    const checked = checkServerUrl(rawUrl.value, allowInsecureHttp);
    for (const problem of checked.problems) problems.push(`${rawUrl.label}: ${problem}`);
    if (checked.url !== null) url = { value: checked.url, label: rawUrl.label };
  }
  const username = requiredText(layers, serverKey(name, 'user'), problems)?.value ?? null;
  const source = findPasswordSource(layers, name, problems);
  const password = source.kind === 'value' || source.kind === 'file' ? await readPasswordSource(source, platform, problems) : null;
  return { name, url, username, password, passwordMissing: source.kind === 'none' };
}

/** Called once nothing is wrong: every draft has a URL and a user name. */
async function complete(draft: ServerDraft, prompt: PasswordPrompt | null): Promise<ServerConfig> {
  if (draft.url === null || draft.username === null) throw new Error(`incomplete ${draft.name} server settings`);
  let password = draft.password;
  if (password === null) {
    if (prompt === null) throw new Error(`no ${draft.name} password`);
    const answer = parseSecret(await prompt(`Password for ${draft.username} at ${draft.url.value}: `));
    if (!answer.ok) throw new ConfigError([`${draft.name} password (prompt): ${answer.problem}`]);
    password = answer.value;
  }
  return { name: draft.name, url: draft.url.value, username: draft.username, password };
}
