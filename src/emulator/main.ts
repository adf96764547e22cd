// npm run emulator -- --port N [--data FILE] [--dump FILE] [--today YYYY-MM-DD] [--faults JSON|@FILE] ...
import { readFileSync } from 'node:fs';
import { isCalendarDate } from '../domain/calendar-date.js';
import { noonUtc } from './clock.js';
import { CONTROL_SECRET_HEADER } from './control-routes.js';
import { readDatasetFile, writeDatasetFile } from './dataset/dataset-file.js';
import { startEmulator } from './server.js';
import { CommandLine } from './command-line.js';

const USAGE = `Usage: npm run emulator -- [options]

Runs an emulated license server (see license-api-contract.md) on loopback.

Options:
  --port N              port to listen on; 0 picks a free one (default 0)
  --host ADDR           address to listen on (default 127.0.0.1)
  --data FILE           start from this dataset (npm run dataset); default: a fresh server
  --dump FILE           write the data back to FILE when stopped (SIGINT/SIGTERM)
  --today YYYY-MM-DD    fix the server's clock at noon UTC of that day
  --faults JSON|@FILE   fault settings at start (see docs/emulator.md)
  --capacity N          serve at most N API requests a second, the others wait in a queue
                        (the faults' "capacity"; overrides the one --faults gives)
  --control-secret S    secret for the /_emulator control endpoint (default: random, printed)
  --no-email            behave as a server without e-mail configured
  --help                show this help`;

const commandLine = new CommandLine('emulator', USAGE);
function fail(message: string): never {
  return commandLine.fail(message);
}

function parseFaults(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  const text = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(`--faults is not JSON: ${(error as Error).message}`);
  }
}

function withCapacity(faults: unknown, capacity: string | undefined): unknown {
  if (capacity === undefined) return faults;
  const requestsPerSecond = Number(capacity);
  if (!(Number.isFinite(requestsPerSecond) && requestsPerSecond > 0)) fail(`--capacity must be a positive number of requests a second, got ${capacity}`);
  if (faults !== undefined && (typeof faults !== 'object' || faults === null || Array.isArray(faults))) fail('--faults must be a JSON object');
  return { ...(faults ?? {}), capacity: { requestsPerSecond } };
}

async function main(): Promise<void> {
  const values = commandLine.parse({
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string' },
    dump: { type: 'string' },
    today: { type: 'string' },
    faults: { type: 'string' },
    capacity: { type: 'string' },
    'control-secret': { type: 'string' },
    'no-email': { type: 'boolean', default: false },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0-65535, got ${values.port}`);
  if (values.today !== undefined && !isCalendarDate(values.today)) fail(`--today must be YYYY-MM-DD, got ${values.today}`);

  const dataset = values.data ? await readDatasetFile(values.data) : undefined;
  const faults = withCapacity(parseFaults(values.faults), values.capacity);
  const emulator = await startEmulator({
    port,
    host: values.host,
    ...(dataset ? { dataset } : {}),
    ...(values.today ? { now: noonUtc(values.today) } : {}),
    ...(faults === undefined ? {} : { faults: faults as object }),
    ...(values['control-secret'] ? { controlSecret: values['control-secret'] } : {}),
    emailConfigured: !values['no-email'],
  });

  const counts = dataset ? `${dataset.devices.length} licenses, ${dataset.users.length} users from ${values.data}` : 'fresh (admin / admin123 only)';
  process.stdout.write(
    `emulator: listening on ${emulator.url}\n` +
      `emulator: data: ${counts}\n` +
      `emulator: control endpoint ${emulator.url}/_emulator/ (header ${CONTROL_SECRET_HEADER}: ${emulator.controlSecret})\n`,
  );

  const stop = async (signal: string): Promise<void> => {
    if (values.dump) {
      await writeDatasetFile(values.dump, emulator.dataset());
      process.stdout.write(`emulator: data written to ${values.dump}\n`);
    }
    await emulator.close();
    process.stdout.write(`emulator: stopped (${signal})\n`);
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${(error as Error).message}\n`);
  process.exit(1);
});
