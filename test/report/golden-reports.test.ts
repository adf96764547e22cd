import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { toJsonReport } from '../../src/report/json-report.js';
import { renderTextReport } from '../../src/report/text-report.js';
import { guardMessage } from '../../src/report/wording/guard-words.js';
import { goldenRuns, planItemLines } from './support/golden-runs.js';

// The JSON report (`sync-dbs-report/1`) and the text report of a few hundred
// runs with every kind of operation, skipped record, drift, conflict and guard,
// as they read before the planner returned codes: they must stay byte for
// byte the same. UPDATE_GOLDEN=1 rewrites the files (only for a deliberate
// change of wording, reviewed in the diff).

// The text report shows times in the machine's time zone, with its offset: pin one that has an offset.
process.env.TZ = 'America/Sao_Paulo';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function check(file: string, actual: string): void {
  const path = join(DIR, file);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(path, actual);
  }
  const expected = readFileSync(path, 'utf8');
  expect(actual.length).toBe(expected.length);
  const lines = actual.split('\n');
  const wanted = expected.split('\n');
  const first = lines.findIndex((line, n) => line !== wanted[n]);
  expect(first === -1 ? null : { line: first + 1, actual: lines[first], expected: wanted[first] }).toBeNull();
}

describe('reports of the golden runs', () => {
  const runs = goldenRuns();

  it('plans are plain data: codes and facts survive JSON unchanged', () => {
    for (const { run } of runs) expect(JSON.parse(JSON.stringify(run.plan)) as unknown).toEqual(run.plan);
  });

  it('JSON reports are byte for byte as captured', () => {
    check('reports.json.txt', runs.filter(({ reported }) => reported).map(({ name, run }) => `=== ${name}\n${JSON.stringify(toJsonReport(run), null, 2)}\n`).join(''));
  });

  it('every planner sentence (reports show only some) is as captured', () => {
    check('plan-items.txt', runs.map(({ name, run }) => `=== ${name}\n${[...planItemLines(run.plan ?? { operations: [], skipped: [], drift: [], conflicts: [] }), ...run.guards.map((g) => `guard ${g.guard}: ${guardMessage(g)}`)].map((line) => `${line}\n`).join('')}`).join(''));
  });

  it('text reports are byte for byte as captured', () => {
    check('reports.text.txt', runs.filter(({ reported }) => reported).map(({ name, run }) => `=== ${name}\n${renderTextReport(run)}`).join(''));
  });

  describe('in Brazilian Portuguese', () => {
    afterEach(() => setLanguage('en'));

    it('text reports are byte for byte as captured', () => {
      setLanguage('pt-BR');
      check('reports.text.pt-BR.txt', runs.filter(({ reported }) => reported).map(({ name, run }) => `=== ${name}\n${renderTextReport(run)}`).join(''));
    });
  });
});
