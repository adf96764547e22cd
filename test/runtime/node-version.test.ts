import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

// `npm run test:node -- 22` runs this suite on another Node.js and says which
// one in SYNC_DBS_EXPECT_NODE: the tests and every process they start must
// then really run on it, with a better-sqlite3 built for it. Without it, the
// processes must run on the Node.js of the tests themselves.
const expected = process.env.SYNC_DBS_EXPECT_NODE ?? process.versions.node;
const engines = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } }).engines.node;

describe('the Node.js the suite runs on', () => {
  it(`is the one asked for (${expected}), in the tests and in the processes they start`, () => {
    expect(process.version).toBe(`v${expected}`);
    expect(spawnSync(process.execPath, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(`v${expected}`);
    expect(spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(`v${expected}`);
  });

  it(`is one that package.json's engines (${engines}) accepts`, () => {
    const minimum = /^>=(\d+)\.(\d+)$/.exec(engines);
    expect(minimum, 'engines.node is a plain >=major.minor').not.toBeNull();
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    const [wantMajor, wantMinor] = [Number(minimum?.[1]), Number(minimum?.[2])];
    expect(major > wantMajor || (major === wantMajor && minor >= wantMinor)).toBe(true);
  });

  it('loads the native better-sqlite3 built for it', () => {
    const db = new Database(':memory:');
    try {
      expect(db.prepare('select sqlite_version() as version').get()).toMatchObject({ version: expect.any(String) });
    } finally {
      db.close();
    }
  });
});
