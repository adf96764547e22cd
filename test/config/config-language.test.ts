import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadSyncConfig, type ConfigSources } from '../../src/config/load-config.js';
import { setLanguage } from '../../src/i18n/i18n.js';
import { runCli } from '../support/cli-process.js';
import { makeTempConfigDirs, problemsOf } from './support/config-test-kit.js';

let root = '';
let cwd = '';
beforeEach(async () => {
  const dirs = await makeTempConfigDirs();
  ({ root, cwd } = dirs);
  return dirs.remove;
});
afterEach(() => setLanguage('en'));

function sources(overrides: Partial<ConfigSources>): ConfigSources {
  return { flags: {}, env: {}, cwd, platform: 'linux', homedir: path.join(root, 'home'), prompt: null, ...overrides };
}

describe('configuration problems in Brazilian Portuguese', () => {
  it('says what is wrong and where, did-you-mean included, and keeps names, flags and values as they are', async () => {
    setLanguage('pt-BR');
    const config = path.join(root, 'sync.json');
    await writeFile(config, JSON.stringify({ 'retry-delay': 5, backups: 'render' }));
    const problems = await problemsOf(
      loadSyncConfig(
        sources({
          flags: { concurrency: '99', config },
          env: { SYNC_DBS_CONCURENCY: '4', SYNC_DBS_PRIMARY_URL: 'ftp://primary.example', SYNC_DBS_RETRY_MAX_DELAY: '2' },
        }),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'SYNC_DBS_CONCURENCY (ambiente): configuração desconhecida; você quis dizer SYNC_DBS_CONCURRENCY?',
        '--concurrency (opção): precisa ser um número inteiro de 1 a 64, recebido "99"',
        'SYNC_DBS_PRIMARY_URL (ambiente): precisa usar http ou https, recebido "ftp"',
        `SYNC_DBS_RETRY_MAX_DELAY (ambiente): precisa ser pelo menos a espera de --retry-delay (5 segundos, de retry-delay (arquivo de configuração ${config})), recebido "2"`,
        `backups (arquivo de configuração ${config}): precisa ser uma lista de backups, como [{"name": "render", "url": "https://...", "user": "sync", "password-file": "render.pw"}]`,
        '--primary-user (não informada): obrigatória; defina --primary-user, SYNC_DBS_PRIMARY_USER ou "primary-user" no arquivo de configuração',
        'senha do servidor primary (não informada): defina SYNC_DBS_PRIMARY_PASSWORD ou SYNC_DBS_PRIMARY_PASSWORD_FILE, ou rode num terminal para que ela seja pedida',
      ]),
    );
    const error = await loadSyncConfig(sources({ flags: { concurrency: '0' } })).catch((caught: unknown) => caught);
    expect((error as ConfigError).message.split('\n')[0]).toBe('configuração inválida:');
  });

  it('comes out of the CLI in Portuguese with SYNC_DBS_LANG=pt-BR, exit code 2', async () => {
    const run = await runCli(['sync', '--quiet'], { cwd, env: { SYNC_DBS_LANG: 'pt-BR', SYNC_DBS_TIMOUT: '5' } });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain('configuração inválida:');
    expect(run.stderr).toContain('SYNC_DBS_TIMOUT (ambiente): configuração desconhecida; você quis dizer SYNC_DBS_TIMEOUT?');
    expect(run.stderr).not.toMatch(/invalid configuration|unknown setting|not given/);
  });
});
