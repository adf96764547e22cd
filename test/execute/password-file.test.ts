import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD_FILE_NAME, PasswordFile } from '../../src/execute/password-file.js';

let root = '';

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-passwords-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n');

describe('PasswordFile', () => {
  it('creates missing directories (0700) and a new file with mode 0600', async () => {
    const stateDir = path.join(root, 'a', 'b', 'state');
    const file = new PasswordFile(stateDir);
    expect(file.path).toBe(path.join(stateDir, PASSWORD_FILE_NAME));

    await file.record('backup', 'revenda1', 'Senha-Um-123');

    expect(await modeOf(file.path)).toBe(0o600);
    expect(await modeOf(stateDir)).toBe(0o700);
  });

  it('writes one tab-separated line per password: time, server, username, password', async () => {
    const file = new PasswordFile(root);
    const before = Date.now();

    await file.record('backup', 'revenda1', 'Senha-Um-123');

    const [line, rest] = await lines(file.path);
    expect(rest).toBe('');
    const [time, server, username, password, ...extra] = (line ?? '').split('\t');
    expect([server, username, password, extra]).toEqual(['backup', 'revenda1', 'Senha-Um-123', []]);
    expect(Date.parse(time ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(time).toBe(new Date(Date.parse(time ?? '')).toISOString());
  });

  it('tightens an existing looser file back to 0600 and appends to what it holds', async () => {
    const file = new PasswordFile(root);
    await writeFile(file.path, 'earlier run\n', { mode: 0o644 });
    await chmod(file.path, 0o644);

    await file.record('backup', 'revenda2', 'Senha-Dois-456');

    expect(await modeOf(file.path)).toBe(0o600);
    const content = await lines(file.path);
    expect(content[0]).toBe('earlier run');
    expect(content[1]).toMatch(/\tbackup\trevenda2\tSenha-Dois-456$/);
  });

  it('appends across runs (new PasswordFile objects) and keeps concurrent records whole, in call order', async () => {
    await new PasswordFile(root).record('backup', 'first-run', 'Senha-0');
    const file = new PasswordFile(root);

    await Promise.all(Array.from({ length: 25 }, (_, n) => file.record('backup', `user${n}`, `Senha-${n}`)));
    await file.recordUnused('backup', 'user3', 'HTTP 400: Usuário já existe.');

    const content = (await lines(file.path)).filter((line) => line !== '');
    expect(content).toHaveLength(27);
    expect(content.map((line) => line.split('\t').slice(1).join('|'))).toEqual([
      'backup|first-run|Senha-0',
      ...Array.from({ length: 25 }, (_, n) => `backup|user${n}|Senha-${n}`),
      'backup|user3|(not created: HTTP 400: Usuário já existe.; ignore the password above)',
    ]);
  });

  it('a failed write is reported, and later writes still happen', async () => {
    // The state directory path is taken by a file, so the first write cannot happen.
    const stateDir = path.join(root, 'state');
    await writeFile(stateDir, 'not a directory');
    const file = new PasswordFile(stateDir);

    await expect(file.record('backup', 'u1', 'p1')).rejects.toThrow();

    await rm(stateDir);
    await mkdir(stateDir);
    await file.record('backup', 'u2', 'p2');
    expect((await lines(file.path))[0]).toMatch(/\tbackup\tu2\tp2$/);
  });
});
