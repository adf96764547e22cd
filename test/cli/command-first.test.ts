import { describe, expect, it } from 'vitest';
import { commandFirst } from '../../src/cli/command-first.js';

const takesValue = (option: string) => ['state-dir', 'log-level', 'limit'].includes(option);

describe('commandFirst', () => {
  it.each([
    [['--json', 'plan'], ['plan', '--json']],
    [['--log-level', 'debug', 'history', '--limit', '3'], ['history', '--log-level', 'debug', '--limit', '3']],
    // "plan" is the state directory here, status the command.
    [['--state-dir', 'plan', 'status'], ['status', '--state-dir', 'plan']],
    [['--state-dir=plan', 'status'], ['status', '--state-dir=plan']],
    [['status', '--json'], ['status', '--json']],
    // Not a command: left for the parser to call a mistyped command.
    [['--json', 'stauts'], ['--json', 'stauts']],
    // After `--` nothing is an option or a command.
    [['--json', '--', 'plan'], ['--json', '--', 'plan']],
    [['--json'], ['--json']],
  ])('%j -> %j', (args, expected) => {
    expect(commandFirst(args, takesValue)).toEqual(expected);
  });
});
