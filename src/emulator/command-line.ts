import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A small command of the emulator tooling: its name in messages and its usage text. */
export class CommandLine {
  constructor(
    private readonly name: string,
    private readonly usage: string,
  ) {}

  /** Prints the problem and the usage to stderr and exits with 2 (a usage error). */
  fail(message: string): never {
    process.stderr.write(`${this.name}: ${message}\n\n${this.usage}\n`);
    process.exit(2);
  }

  /** Parses strict options plus `--help`, which prints the usage and exits 0. */
  parse<const O extends Options>(options: O) {
    type Config = { options: O & { help: { type: 'boolean'; default: false } }; strict: true };
    let parsed;
    try {
      parsed = parseArgs<Config>({ options: { ...options, help: { type: 'boolean', default: false } }, strict: true });
    } catch (error) {
      return this.fail((error as Error).message);
    }
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(`${this.usage}\n`);
      process.exit(0);
    }
    return parsed.values;
  }
}
