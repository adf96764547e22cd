/**
 * Loads the sync configuration. Precedence, highest first: flags, the
 * process environment, a .env file, a JSON config file, defaults. Every
 * problem is collected and thrown at once as a ConfigError; the password
 * prompt is only used when nothing else is wrong and a password of a server
 * this run takes is missing.
 */
import { t } from '../i18n/i18n.js';
import { readCaFile } from './ca-file.js';
import { ConfigError } from './config-error.js';
import { resolveGeneralSettings, resolveRunSettings, type GeneralSettings } from './general-settings.js';
import { configFileLayer } from './config-file-layer.js';
import {
  envFileLayer,
  environmentLayer,
  findSetting,
  flagLayer,
  type Layer,
  type Problems,
  type RawSetting,
} from './layers.js';
import { pathFor } from './platform-path.js';
import { resolveServers, type ServerDraft } from './servers.js';
import { envNameFor, serverKey } from './settings.js';
import { parseSecret, parseText } from './setting-values.js';
import type { ServerConfig, SyncConfig } from './sync-config.js';
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
  const run = resolveRunSettings(layers, sources, problems);
  const servers = await resolveServers({ layers, run, allowInsecureHttp: general.allowInsecureHttp, platform: sources.platform }, problems);
  const ca = general.caFile === null ? null : await readCaFile(general.caFile, problems);

  const all = [servers.primary, ...servers.backups];
  if (sources.prompt === null) {
    for (const server of all.filter((candidate) => candidate.passwordMissing)) {
      const label = t('config:label', { name: t('config:serverPassword', { server: server.name }), source: t('config:source.notGiven') });
      const env = envNameFor(serverKey(server.prefix, 'password'));
      problems.push(`${label}: ${t('config:password.missing', { env, fileEnv: envNameFor(serverKey(server.prefix, 'password-file')) })}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  // One question at a time, in order: primary, then the backups.
  const completed: ServerConfig[] = [];
  for (const server of all) completed.push(await complete(server, sources.prompt));
  const [primary, ...backups] = completed as [ServerConfig, ...ServerConfig[]];
  const { caFile: _caFile, ...settings } = general;
  return { ...settings, primary, backups, mode: run.mode.value, conflict: run.conflict.value, ca };
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
    if (!isFileNotFound(read)) problems.push(t('config:envFile.unreadable', { file, reason: read.reason }));
    return null;
  }
  const file = givenFile(given, sources.platform, problems);
  if (file === null) return null;
  const read = await readTextFile(file);
  if (read.ok) return envFileLayer(read.text, file, sources.platform, problems);
  problems.push(`${given.label}: ${t('config:file.unreadable', { file, reason: read.reason })}`);
  return null;
}

async function loadConfigFile(layers: readonly Layer[], platform: NodeJS.Platform, problems: Problems): Promise<Layer | null> {
  const given = findSetting(layers, 'config');
  if (given === undefined) return null;
  const file = givenFile(given, platform, problems);
  if (file === null) return null;
  const read = await readTextFile(file);
  if (read.ok) return configFileLayer(read.text, file, given.label, platform, problems);
  problems.push(`${given.label}: ${t('config:file.unreadable', { file, reason: read.reason })}`);
  return null;
}

function givenFile(given: RawSetting, platform: NodeJS.Platform, problems: Problems): string | null {
  const text = parseText(given.value);
  if (text.ok) return pathFor(platform).resolve(given.baseDir, text.value);
  problems.push(`${given.label}: ${text.problem}`);
  return null;
}

/** Called once nothing is wrong: every draft has a URL and a user name. */
async function complete(draft: ServerDraft, prompt: PasswordPrompt | null): Promise<ServerConfig> {
  if (draft.url === null || draft.username === null) throw new Error(`incomplete ${draft.name} server settings`);
  let password = draft.password;
  if (password === null) {
    if (prompt === null) throw new Error(`no ${draft.name} password`);
    const answer = parseSecret(await prompt(t('config:password.question', { user: draft.username, url: draft.url.value })));
    if (!answer.ok) {
      const label = t('config:label', { name: t('config:serverPassword', { server: draft.name }), source: t('config:source.prompt') });
      throw new ConfigError([`${label}: ${answer.problem}`]);
    }
    password = answer.value;
  }
  return { name: draft.name, url: draft.url.value, username: draft.username, password };
}
