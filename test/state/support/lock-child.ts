// A process of its own for the cross-process tests, run with `node --import tsx`:
//   lock-child.ts <stateDir> open   opens the state database, prints its schema version, exits
//   lock-child.ts <stateDir> hold   takes the run lock at once and prints the attempt
//   lock-child.ts <stateDir> race   opens the database, prints {"ready":true}, takes the lock on a "go" line
// It prints one JSON object per line, and exits when its stdin closes (without releasing the lock).
import os from 'node:os';
import { createInterface } from 'node:readline';
import { schemaVersionOf } from '../../../src/state/migrations.js';
import { acquireRunLock } from '../../../src/state/run-lock.js';
import { openStateDatabase } from '../../../src/state/state-database.js';

const [stateDir = '', mode = ''] = process.argv.slice(2);
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

const db = openStateDatabase(stateDir);

function attempt(): void {
  const result = acquireRunLock(db, { pid: process.pid, hostname: os.hostname(), command: `lock-child ${mode}`, startedAt: new Date() });
  say(result.acquired ? { acquired: true, recovered: result.recovered } : { acquired: false, holder: result.holder });
}

if (mode === 'open') {
  say({ version: schemaVersionOf(db) });
  db.close();
} else {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'go') attempt();
  });
  lines.on('close', () => db.close());
  if (mode === 'hold') attempt();
  else say({ ready: true });
}
