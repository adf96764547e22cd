#!/usr/bin/env node
// Runs the built sync-dbs CLI in this very process (same arguments) and, when
// the process exits, writes its peak resident set size in KiB
// (process.resourceUsage().maxRSS) to the file named by BENCH_RSS_FILE.
// BENCH_CLI_ENTRY names another build of the CLI (default dist/cli/main.js).
// Used by scripts/bench.ts; no external tools needed.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
// The CLI reads process.argv.slice(2): the same arguments this probe was given.
const entry = process.env.BENCH_CLI_ENTRY;
await import(entry ? pathToFileURL(entry).href : new URL('../../dist/cli/main.js', import.meta.url).href);
