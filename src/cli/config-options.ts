import type { Options } from 'yargs';
import { CONFIG_FLAGS, PASSWORD_KEYS, type SettingSpec } from '../config/settings.js';

/**
 * The yargs option of a configuration flag, from its declaration: never a
 * yargs `default` (it would hide the environment, .env and config file),
 * only the text --help shows for it.
 */
export function yargsOptionOf(spec: SettingSpec): Options {
  return {
    type: spec.yargsType,
    description: spec.description,
    ...(spec.choices ? { choices: spec.choices } : {}),
    ...(spec.defaultText === null ? {} : { defaultDescription: spec.defaultText }),
    ...(spec.hidden === true ? { hidden: true } : { group: `${spec.group}:` }),
  };
}

/** Every configuration flag, plus the password names: declared (hidden) only so that the configuration layer can explain why they are refused. */
export function configOptions(): Record<string, Options> {
  const options: Record<string, Options> = {};
  for (const spec of CONFIG_FLAGS) options[spec.flag] = yargsOptionOf(spec);
  for (const key of PASSWORD_KEYS) options[key] = { type: 'string', hidden: true };
  return options;
}

/** The configuration flags the user gave, by their kebab-case names, for loadSyncConfig. */
export function configFlagsOf(argv: Record<string, unknown>): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const name of [...CONFIG_FLAGS.map((spec) => spec.flag), ...PASSWORD_KEYS]) if (argv[name] !== undefined) flags[name] = argv[name];
  return flags;
}
