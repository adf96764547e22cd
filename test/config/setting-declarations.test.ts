import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { configFlagsOf, configOptions, yargsOptionOf } from '../../src/cli/config-options.js';
import { loadLocalSettings, loadSyncConfig, type ConfigSources } from '../../src/config/load-config.js';
import type { SettingDeclaration } from '../../src/config/setting-kinds.js';
import enSettings from '../../src/i18n/locales/en/settings.json' with { type: 'json' };
import {
  CONFIG_FLAGS,
  GENERAL_SETTINGS,
  PASSWORD_KEYS,
  SETTINGS,
  SETTING_KEYS,
  declarationOf,
  defaultTextOf,
  defaultValueOf,
  envNameFor,
} from '../../src/config/settings.js';
import type { NotifyConfig, ServerConfig, SyncConfig } from '../../src/config/sync-config.js';
import { problemsOf } from './support/config-test-kit.js';

// Each setting is declared once, in src/config/settings.ts; these tests check
// that the CLI options, --help texts, the layers and the defaults all derive
// from that one declaration.

const DECLARATIONS = GENERAL_SETTINGS as readonly SettingDeclaration<unknown>[];
const MACHINE = { platform: 'linux', env: {}, homedir: '/home/me' } as const;

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'sync-dbs-declarations-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const SERVERS_ENV = {
  SYNC_DBS_PRIMARY_URL: 'https://primary.example.com',
  SYNC_DBS_PRIMARY_USER: 'admin',
  SYNC_DBS_PRIMARY_PASSWORD: 'p',
  SYNC_DBS_BACKUP_URL: 'https://backup.example.com',
  SYNC_DBS_BACKUP_USER: 'admin',
  SYNC_DBS_BACKUP_PASSWORD: 'b',
};

function sources(overrides: Partial<ConfigSources> = {}): ConfigSources {
  return { flags: {}, cwd, ...MACHINE, env: SERVERS_ENV, prompt: null, ...overrides };
}

/** A value every declared kind rejects. */
function badValueFor(declaration: SettingDeclaration<unknown>): unknown {
  return declaration.value.kind === 'boolean' ? 'maybe' : declaration.value.kind === 'string' ? '' : 'not-a-value';
}

/** The value a field of the config holds: `notify.on` for --notify-on. */
function fieldOf(config: object, declaration: SettingDeclaration<unknown>): unknown {
  const holder = (declaration.section === undefined ? config : (config as Record<string, unknown>)[declaration.section]) as Record<string, unknown>;
  return holder[declaration.field ?? ''];
}

describe('each declared setting', () => {
  it('is a yargs option of serve (which reads them all: those of sync and its own), with the declared description, default text, choices and group', () => {
    const options = configOptions('serve');
    for (const declaration of DECLARATIONS) {
      const option = options[declaration.flag];
      expect(option, declaration.flag).toBeDefined();
      expect(option?.type, declaration.flag).toBe(declaration.value.kind === 'boolean' ? 'boolean' : 'string');
      expect(option?.defaultDescription, declaration.flag).toBe(defaultTextOf(declaration) ?? undefined);
      expect(option?.choices, declaration.flag).toEqual(declaration.value.choices);
      expect(option?.group, declaration.flag).toBe(declaration.group === 'Servers' ? 'Servers:' : 'Settings:');
      expect(option, declaration.flag).not.toHaveProperty('default');
    }
    // Every flag the configuration reads, and nothing else.
    expect(Object.keys(options).sort()).toEqual([...CONFIG_FLAGS.map((spec) => spec.flag), ...PASSWORD_KEYS].sort());
    for (const spec of CONFIG_FLAGS) expect(options[spec.flag]).toEqual(yargsOptionOf(spec));
  });

  it('has its bounds in its help text, and no placeholder left', () => {
    for (const spec of SETTINGS) expect(spec.description, spec.flag).not.toMatch(/\{\w+\}/);
    expect(SETTINGS.find((spec) => spec.flag === 'concurrency')?.description).toBe('requests in flight at once per server, pinned (1 to 64); without it the limit adapts to each server');
    for (const declaration of DECLARATIONS) {
      const bounds = declaration.value.bounds;
      if (bounds === undefined || !/\{min\}/.test((enSettings as Record<string, string>)[`help.${declaration.flag}`] ?? '')) continue;
      expect(SETTINGS.find((spec) => spec.flag === declaration.flag)?.description, declaration.flag).toContain(`${bounds.min} to ${bounds.max}`);
    }
  });

  it('is passed on from argv by its flag name, and only the configuration flags are', () => {
    const argv: Record<string, unknown> = { _: [], $0: 'sync-dbs', json: true, 'log-level': 'debug' };
    for (const declaration of DECLARATIONS) argv[declaration.flag] = `value of ${declaration.flag}`;
    expect(Object.keys(configFlagsOf(argv))).toEqual(DECLARATIONS.map((declaration) => declaration.flag));
  });

  it('is read from the environment, a .env file and a JSON config file by its derived names, and validated alike', async () => {
    for (const declaration of DECLARATIONS) {
      const env = envNameFor(declaration.flag);
      expect(SETTING_KEYS, declaration.flag).toContain(declaration.flag);
      const bad = badValueFor(declaration);
      const asFlag = await problemsOf(loadSyncConfig(sources({ flags: { [declaration.flag]: bad } })));
      const flagProblem = asFlag.find((problem) => problem.startsWith(`--${declaration.flag} (flag): `));
      expect(flagProblem, declaration.flag).toBeDefined();
      const problem = (flagProblem ?? '').slice(`--${declaration.flag} (flag): `.length);
      expect(problem, declaration.flag).not.toMatch(/unknown setting/);

      const fromEnv = await problemsOf(loadSyncConfig(sources({ env: { ...SERVERS_ENV, [env]: String(bad) } })));
      expect(fromEnv, env).toContain(`${env} (environment): ${problem}`);

      const envFile = path.join(cwd, `${declaration.flag}.env`);
      await writeFile(envFile, `${env}=${String(bad)}\n`);
      const fromEnvFile = await problemsOf(loadSyncConfig(sources({ flags: { 'env-file': envFile } })));
      expect(fromEnvFile, env).toContain(`${env} (.env file ${envFile}): ${problem}`);

      const configFile = path.join(cwd, `${declaration.flag}.json`);
      await writeFile(configFile, JSON.stringify({ [declaration.flag]: bad }));
      const fromConfig = await problemsOf(loadSyncConfig(sources({ flags: { config: configFile } })));
      expect(fromConfig, declaration.flag).toContain(`${declaration.flag} (config file ${configFile}): ${problem}`);
    }
  });

  it('defaults to its declared default, which parses like the same value given as a flag', async () => {
    const config = await loadSyncConfig(sources());
    const local = await loadLocalSettings(sources());
    for (const declaration of DECLARATIONS.filter((candidate) => candidate.field !== undefined)) {
      const value = defaultValueOf(declaration, MACHINE);
      expect(fieldOf(config, declaration), declaration.flag).toEqual(value);
      expect(fieldOf(local, declaration), declaration.flag).toEqual(value);
      if (typeof declaration.default !== 'object' || declaration.default === null) {
        if (declaration.default === null) continue;
        const given = await loadSyncConfig(sources({ flags: { [declaration.flag]: String(declaration.default) } }));
        expect(fieldOf(given, declaration), declaration.flag).toEqual(value);
      }
    }
    expect(config.mode).toBe(defaultValueOf(declarationOf('mode'), MACHINE));
    expect(config.conflict).toBe(defaultValueOf(declarationOf('conflict'), MACHINE));
  });

  it('rejects values just outside its declared bounds and accepts the bounds themselves', async () => {
    for (const declaration of DECLARATIONS) {
      const bounds = declaration.value.bounds;
      if (bounds === undefined) continue;
      const step = declaration.value.kind === 'integer' ? 1 : 0.01;
      for (const outside of [bounds.min - step, bounds.max + step]) {
        const problems = await problemsOf(loadSyncConfig(sources({ flags: { [declaration.flag]: String(outside) } })));
        expect(problems, `${declaration.flag} ${outside}`).toEqual([expect.stringMatching(new RegExp(`^--${declaration.flag} \\(flag\\): must be an? .*${bounds.min} to ${bounds.max}, got`))]);
      }
      for (const inside of [bounds.min, bounds.max]) {
        const config = await loadSyncConfig(sources({ flags: { [declaration.flag]: String(inside) } }));
        expect(fieldOf(config, declaration), `${declaration.flag} ${inside}`).toBe(inside);
      }
    }
  });

  it('only reads settings declared before it', () => {
    const flags = DECLARATIONS.map((declaration) => declaration.flag);
    for (const [index, declaration] of DECLARATIONS.entries()) {
      for (const earlier of [...(declaration.value.dependsOn ?? []), ...(declaration.atLeast === undefined ? [] : [declaration.atLeast])]) {
        expect(flags.indexOf(earlier), `${declaration.flag} reads --${earlier}`).toBeGreaterThanOrEqual(0);
        expect(flags.indexOf(earlier), `${declaration.flag} reads --${earlier}`).toBeLessThan(index);
      }
    }
  });

  it('fills one SyncConfig field each, and none of them twice', () => {
    const fields = DECLARATIONS.filter((declaration) => declaration.field !== undefined).map((declaration) =>
      declaration.section === undefined ? declaration.field : `${declaration.section}.${declaration.field}`,
    );
    expect(new Set(fields).size).toBe(fields.length);
  });
});

describe('the SyncConfig type derived from the declarations', () => {
  it('keeps every field the rest of the code relies on, with its exact type (a new setting may add one)', () => {
    interface ExpectedNotify {
      readonly webhookUrl: string | null;
      readonly format: 'auto' | 'discord' | 'slack' | 'generic';
      readonly on: readonly ('failure' | 'recovery' | 'success')[];
      readonly pingUrl: string | null;
    }
    interface Expected {
      readonly primary: ServerConfig;
      readonly backups: readonly ServerConfig[];
      readonly mode: 'one-way' | 'two-way';
      readonly conflict: 'primary' | 'peer' | 'none';
      readonly concurrency: number | null;
      readonly maxConcurrency: number;
      readonly timeoutMs: number;
      readonly wakeTimeoutMs: number;
      readonly retries: number;
      readonly retryDelayMs: number;
      readonly retryMaxDelayMs: number;
      readonly maxAnswerMb: number;
      readonly delete: boolean;
      readonly maxDelete: number;
      readonly newUsers: 'create' | 'skip';
      readonly minPrimaryRatio: number;
      readonly stateDir: string;
      readonly ca: string | null;
      readonly allowInsecureHttp: boolean;
      readonly maxShrink: number;
      readonly expectEveryMs: number;
      readonly every: string | null;
      readonly logRetentionDays: number;
      readonly historyRetentionDays: number;
      readonly notify: ExpectedNotify;
    }
    expectTypeOf<NotifyConfig>().toEqualTypeOf<ExpectedNotify>();
    expectTypeOf<Pick<SyncConfig, keyof Expected>>().toEqualTypeOf<Expected>();
  });
});
