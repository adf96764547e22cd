import { CLI_COMMANDS } from './command-options.js';

/**
 * The arguments with the command name first: `--json plan` becomes
 * `plan --json`. Each command declares only its own options, so the parser
 * must see the command before any option; an option before it is read with
 * its value (`--state-dir plan status` names the state directory "plan").
 * `takesValue` says which options (without the dashes) take the next
 * argument as their value; an unknown option is taken to take none.
 */
export function commandFirst(args: readonly string[], takesValue: (option: string) => boolean): string[] {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (arg.startsWith('--') && !arg.includes('=') && takesValue(arg.slice(2))) index++;
      continue;
    }
    if (index === 0 || !(CLI_COMMANDS as readonly string[]).includes(arg)) break;
    return [arg, ...args.slice(0, index), ...args.slice(index + 1)];
  }
  return [...args];
}
