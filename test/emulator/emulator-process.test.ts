import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDataset, writeDatasetFile } from '../../src/emulator/dataset/dataset-file.js';
import { generateDataset, generatedUserPassword } from '../../src/emulator/dataset/generator.js';
import { spawnEmulator } from '../../src/emulator/emulator-process.js';
import { rawRequest } from '../support/raw-http.js';

const run = promisify(execFile);
const EMULATOR_MAIN = 'src/emulator/main.ts';

async function login(url: string, username = 'admin', password = 'admin123'): Promise<string> {
  const res = await rawRequest(url, { method: 'POST', path: '/admin/login', body: { username, password } });
  expect(res.status).toBe(200);
  return (res.json as { token: string }).token;
}

describe('npm run emulator (the emulator as a process)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulator-process-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('started without data on port 0, prints the port it picked and is a fresh server', async () => {
    const emulator = await spawnEmulator();
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.url.endsWith(':0')).toBe(false);
      expect((await rawRequest(emulator.url, { path: '/health' })).json).toEqual({ status: 'ok' });
      const token = await login(emulator.url);
      expect((await rawRequest(emulator.url, { path: '/admin/devices', token })).json).toEqual({ items: [] });
      expect((await rawRequest(emulator.url, { path: '/admin/users', token })).json).toEqual({ items: [] });
      expect((await emulator.control.stats()).records).toEqual({ adminUsers: 1, users: 0, devices: 0 });
    } finally {
      expect(await emulator.stop()).toBe(0);
    }
  });

  it('loads --data, serves it, and on SIGTERM writes the changed state to --dump', async () => {
    const data = join(dir, 'in.json');
    const dump = join(dir, 'out.json');
    const dataset = generateDataset({ seed: 5, licenses: 40, users: 4, today: '2026-01-10' });
    await writeDatasetFile(data, dataset);
    const emulator = await spawnEmulator(['--data', data, '--dump', dump, '--today', '2026-01-10']);

    const reseller = dataset.users.find((u) => u.role === 'user');
    if (!reseller) throw new Error('dataset has no user-role reseller');
    const resellerToken = await login(emulator.url, reseller.username, generatedUserPassword(reseller.username));
    const own = (await rawRequest(emulator.url, { path: '/admin/devices', token: resellerToken })).json as { items: { created_by: string }[] };
    expect(own.items.length).toBe(dataset.devices.filter((d) => d.created_by === reseller.username).length);

    const token = await login(emulator.url);
    const created = await rawRequest(emulator.url, {
      method: 'POST',
      path: '/admin/devices/create',
      token,
      body: { device_id: 'new-one', license_type: 'mensal' },
    });
    expect(created.status).toBe(201);
    expect(await emulator.stop()).toBe(0);

    const written = parseDataset(JSON.parse(await readFile(dump, 'utf8')), dump);
    expect(written.devices).toHaveLength(41);
    expect(written.devices.slice(0, 40)).toEqual(dataset.devices);
    expect(written.devices[40]).toMatchObject({ device_id: 'new-one', start_date: '2026-01-10', end_date: '2026-02-10' });
    expect(written.users).toEqual(dataset.users);
  });

  it('--faults applies fault settings from the start', async () => {
    const emulator = await spawnEmulator(['--faults', '{"down": true}']);
    try {
      const res = await rawRequest(emulator.url, { path: '/health' });
      expect(res.status).toBe(530);
      expect(res.json).toBeUndefined();
      expect((await emulator.control.faults()).down).toBe(true);
    } finally {
      await emulator.stop();
    }
  });

  it('--capacity sets the capacity on top of --faults', async () => {
    const emulator = await spawnEmulator(['--faults', '{"latency": {"fixedMs": 5}}', '--capacity', '20']);
    try {
      expect(await emulator.control.faults()).toMatchObject({ latency: { fixedMs: 5 }, capacity: { requestsPerSecond: 20 } });
    } finally {
      await emulator.stop();
    }
    const failure = await run(process.execPath, ['--import', 'tsx', EMULATOR_MAIN, '--capacity', '0']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('--capacity must be a positive number of requests a second, got 0');
  });

  it('refuses bad arguments with exit code 2 and the usage', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', EMULATOR_MAIN, '--port', 'abc']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('--port must be 0-65535');
    expect((failure as { stderr: string }).stderr).toContain('Usage: npm run emulator');
  });

  it('refuses an invalid dataset with a message naming the file and the field', async () => {
    const bad = join(dir, 'bad.json');
    const dataset = generateDataset({ seed: 1, licenses: 10, today: '2026-01-10' });
    const broken = { ...dataset, devices: dataset.devices.map((d, i) => (i === 3 ? { ...d, license_type: 'semanal' } : d)) };
    await writeFile(bad, JSON.stringify(broken));
    const failure = await run(process.execPath, ['--import', 'tsx', EMULATOR_MAIN, '--data', bad]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain(bad);
    expect((failure as { stderr: string }).stderr).toContain('devices.3.license_type');
  });
});

describe('npm run dataset (the generator as a process)', () => {
  it('writes the same file twice for the same seed, and a valid dataset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dataset-process-'));
    try {
      const args = (out: string) => ['--import', 'tsx', 'src/emulator/dataset/main.ts', '--licenses', '120', '--seed', '9', '--today', '2026-02-01', '--out', out];
      const first = await run(process.execPath, args(join(dir, 'a.json')));
      await run(process.execPath, args(join(dir, 'b.json')));
      const a = await readFile(join(dir, 'a.json'), 'utf8');
      expect(a).toBe(await readFile(join(dir, 'b.json'), 'utf8'));
      expect(parseDataset(JSON.parse(a), 'a.json').devices).toHaveLength(120);
      expect(first.stderr).toContain('120 licenses, 12 users');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('requires --licenses', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'src/emulator/dataset/main.ts']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('--licenses is required');
  });
});
