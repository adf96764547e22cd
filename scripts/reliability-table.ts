// Prints the reliability table (Markdown) from the rows the reliability suite
// wrote (`npm run test:chaos`), for docs/reliability.md.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { RESULTS_DIR, type ScenarioResult } from '../test/reliability/support/scenario-results.js';

const GROUPS: Readonly<Record<ScenarioResult['group'], string>> = {
  chaos: 'Faults under load',
  crash: 'Killed with SIGKILL, then run again',
  hostile: 'Hostile and malformed input',
};

function cell(text: string | number): string {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? RESULTS_DIR;
  const files = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.json')).sort();
  if (files.length === 0) {
    console.error(`no results in ${dir}: run \`npm run test:chaos\` first`);
    process.exit(1);
  }
  const rows = await Promise.all(files.map(async (name) => JSON.parse(await readFile(path.join(dir, name), 'utf8')) as ScenarioResult & { recordedAt: string }));
  const times = rows.map((row) => row.recordedAt).sort();
  console.log(`Recorded ${times[0]} to ${times[times.length - 1]}, ${rows.length} scenarios.\n`);
  for (const group of Object.keys(GROUPS) as ScenarioResult['group'][]) {
    const inGroup = rows.filter((row) => row.group === group);
    if (inGroup.length === 0) continue;
    console.log(`### ${GROUPS[group]}\n`);
    console.log('| scenario | injected | runs to converge | operations failed | requests retried | lost | notes |');
    console.log('| --- | --- | ---: | ---: | ---: | --- | --- |');
    for (const row of inGroup) {
      console.log(
        `| ${cell(row.scenario)} | ${cell(row.injected)} | ${row.runsToConverge} | ${row.operationsFailed} | ${row.requestsRetried} | ${cell(row.lost)} | ${cell(row.notes ?? '')} |`,
      );
    }
    console.log('');
  }
}

await main();
