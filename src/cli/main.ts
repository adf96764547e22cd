#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './cli.js';

// Exit through process.exitCode so that stdout is flushed when it is a pipe.
process.exitCode = await runCli(process.argv.slice(2), processIo());
