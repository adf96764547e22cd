// npm run bench:emulator — shows the emulator is never a benchmark's bottleneck:
// license upserts per second from 16 concurrent keep-alive clients, and the time
// to list 100,000 licenses. Prints a table; asserts nothing (figures, not tests).
import { Agent, get } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { utcCalendarDate } from '../src/domain/calendar-date.js';
import { writeDatasetFile } from '../src/emulator/dataset/dataset-file.js';
import { generateDataset } from '../src/emulator/dataset/generator.js';
import { spawnEmulator } from '../src/emulator/emulator-process.js';
import { rawRequest } from '../test/support/raw-http.js';

const { values } = parseArgs({
  options: {
    upserts: { type: 'string', default: '20000' },
    clients: { type: 'string', default: '16' },
    licenses: { type: 'string', default: '100000' },
    listings: { type: 'string', default: '5' },
  },
});
const UPSERTS = Number(values.upserts);
const CLIENTS = Number(values.clients);
const LICENSES = Number(values.licenses);
const LISTINGS = Number(values.listings);

async function login(url: string, agent: Agent): Promise<string> {
  const res = await rawRequest(url, { method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' }, agent });
  return (res.json as { token: string }).token;
}

async function benchUpserts(): Promise<{ seconds: number; rate: number; errors: number }> {
  const emulator = await spawnEmulator(['--no-email']);
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const token = await login(emulator.url, agent);
    let next = 0;
    let errors = 0;
    const worker = async () => {
      while (next < UPSERTS) {
        const n = next++;
        const res = await rawRequest(emulator.url, {
          method: 'POST',
          path: '/admin/devices/create',
          token,
          agent,
          body: { device_id: n.toString(16).padStart(32, '0'), license_type: 'anual', owner_name: `Cliente ${n}`, cpf: '12345678909' },
        });
        if (res.status !== 201) errors++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, worker));
    const seconds = (performance.now() - started) / 1000;
    return { seconds, rate: UPSERTS / seconds, errors };
  } finally {
    agent.destroy();
    await emulator.stop();
  }
}

/** The whole body as text: the time a client waits for the server, without its own JSON parsing. */
function fetchText(url: string, token: string, agent: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function benchListing(): Promise<{ times: number[]; parseSeconds: number; bytes: number; items: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-emulator-'));
  const file = join(dir, 'data.json');
  await writeDatasetFile(file, generateDataset({ seed: 1, licenses: LICENSES, today: utcCalendarDate(new Date()) }));
  const emulator = await spawnEmulator(['--data', file]);
  const agent = new Agent({ keepAlive: true });
  try {
    const token = await login(emulator.url, agent);
    const times: number[] = [];
    let text = '';
    for (let i = 0; i < LISTINGS; i++) {
      const started = performance.now();
      text = await fetchText(`${emulator.url}/admin/devices`, token, agent);
      times.push((performance.now() - started) / 1000);
    }
    const parseStarted = performance.now();
    const items = (JSON.parse(text) as { items: unknown[] }).items.length;
    const parseSeconds = (performance.now() - parseStarted) / 1000;
    return { times, parseSeconds, bytes: Buffer.byteLength(text), items };
  } finally {
    agent.destroy();
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const upserts = await benchUpserts();
const listing = await benchListing();
const sorted = [...listing.times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;

console.log(`emulator benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log('');
console.log('| scenario | figure | target |');
console.log('| --- | --- | --- |');
console.log(`| ${UPSERTS} license upserts, ${CLIENTS} concurrent clients | ${upserts.rate.toFixed(0)} upserts/s (${upserts.seconds.toFixed(2)} s, ${upserts.errors} errors) | >= 2,000/s |`);
console.log(
  `| list ${listing.items} licenses (${(listing.bytes / 1e6).toFixed(1)} MB) over HTTP, ${LISTINGS} times, the first one cold | median ${median.toFixed(3)} s, best ${(sorted[0] ?? NaN).toFixed(3)} s, worst ${(sorted[sorted.length - 1] ?? NaN).toFixed(3)} s | < 1 s |`,
);
console.log(`| client-side JSON.parse of that listing (not the emulator's time) | ${listing.parseSeconds.toFixed(3)} s | |`);
