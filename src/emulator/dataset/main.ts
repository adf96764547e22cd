// npm run dataset -- --seed N --licenses N [--users N] [--today YYYY-MM-DD] [--out FILE]
import { isCalendarDate, utcCalendarDate } from '../../domain/calendar-date.js';
import { writeDatasetFile } from './dataset-file.js';
import { generateDataset, generatedUserPassword, MAX_LICENSES } from './generator.js';
import { CommandLine } from '../command-line.js';

const USAGE = `Usage: npm run dataset -- --licenses N [options]

Writes a deterministic emulator dataset: the same seed, size and day give the same file.

Options:
  --licenses N          number of licenses, 0 to ${MAX_LICENSES}
  --users N             number of reseller accounts (default: licenses / 10, 3 to 1000)
  --seed N              random seed (default 1)
  --today YYYY-MM-DD    the day the data is relative to (default: today, UTC)
  --out FILE            where to write it (default: standard output)
  --help                show this help

Reseller passwords are "<username>-senha"; the administrator is admin / admin123.`;

const commandLine = new CommandLine('dataset', USAGE);
function fail(message: string): never {
  return commandLine.fail(message);
}

function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) fail(`--${name} must be a whole number, got ${value}`);
  return number;
}

async function main(): Promise<void> {
  const values = commandLine.parse({
    licenses: { type: 'string' },
    users: { type: 'string' },
    seed: { type: 'string', default: '1' },
    today: { type: 'string' },
    out: { type: 'string' },
  });
  const licenses = wholeNumber('licenses', values.licenses);
  if (licenses === undefined) fail('--licenses is required');
  if (licenses > MAX_LICENSES) fail(`--licenses must be at most ${MAX_LICENSES}`);
  const today = values.today ?? utcCalendarDate(new Date());
  if (!isCalendarDate(today)) fail(`--today must be YYYY-MM-DD, got ${today}`);
  const users = wholeNumber('users', values.users);
  const seed = wholeNumber('seed', values.seed) ?? 1;

  const dataset = generateDataset({ seed, licenses, today, ...(users === undefined ? {} : { users }) });
  if (values.out) {
    await writeDatasetFile(values.out, dataset);
    const example = dataset.users[0];
    process.stderr.write(
      `dataset: ${dataset.devices.length} licenses, ${dataset.users.length} users (seed ${seed}, today ${today}) written to ${values.out}\n` +
        (example ? `dataset: reseller logins look like ${example.username} / ${generatedUserPassword(example.username)}\n` : ''),
    );
  } else {
    process.stdout.write(`${JSON.stringify(dataset)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`dataset: ${(error as Error).message}\n`);
  process.exit(1);
});
