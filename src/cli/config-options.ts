import type { Options } from 'yargs';
import { CONFIG_FLAGS, PASSWORD_KEYS, type SettingSpec } from '../config/settings.js';
import { t } from '../i18n/i18n.js';
import { settingAppliesTo, type CliCommand } from './command-options.js';

/** The --help title of a settings group. */
export function groupTitleOf(group: SettingSpec['group']): string {
  return group === 'Servers' ? t('cli:group.servers') : t('cli:group.settings');
}

/**
 * The yargs option of a configuration flag, from its declaration: never a
 * yargs `default` (it would hide the environment, .env and config file),
 * only the text --help shows for it. Read when the parser is built, after the
 * language is chosen.
 */
export function yargsOptionOf(spec: SettingSpec): Options {
  return {
    type: spec.yargsType,
    description: spec.description,
    ...(spec.choices ? { choices: spec.choices } : {}),
    ...(spec.defaultText === null ? {} : { defaultDescription: spec.defaultText }),
    ...(spec.hidden === true ? { hidden: true } : { group: groupTitleOf(spec.group) }),
  };
}

/**
 * The configuration flags `command` reads, plus the password names: declared
 * (hidden) only so that the configuration layer can explain why they are
 * refused.
 */
export function configOptions(command: CliCommand): Record<string, Options> {
  const options: Record<string, Options> = {};
  for (const spec of CONFIG_FLAGS) if (settingAppliesTo(spec.flag, command)) options[spec.flag] = yargsOptionOf(spec);
  for (const key of PASSWORD_KEYS) options[key] = { type: 'string', hidden: true };
  return options;
}

/** The configuration flags the user gave, by their kebab-case names, for loadSyncConfig. */
export function configFlagsOf(argv: Record<string, unknown>): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const name of [...CONFIG_FLAGS.map((spec) => spec.flag), ...PASSWORD_KEYS]) if (argv[name] !== undefined) flags[name] = argv[name];
  return flags;
}
