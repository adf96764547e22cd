import { describe, expect, it } from 'vitest';
import { OUTPUT_OPTION_TEXTS } from '../../src/cli/cli-commands.js';
import { CLI_COMMANDS, commandsWithOption, optionsOf, settingAppliesTo } from '../../src/cli/command-options.js';
import { OUTPUT_OPTIONS } from '../../src/cli/output-options.js';
import { CONFIG_FLAGS, PASSWORD_KEYS } from '../../src/config/settings.js';

// Which command reads which option: every flag belongs to some command, the
// commands that talk to no server read no server setting, and every output
// option has its description in the catalogs.

describe('the options of each command', () => {
  it('places every configuration flag in at least one command, serve reading them all and sync all but the watchdog\'s and the dashboard\'s', () => {
    const serving = ['health-interval', 'health-timeout', 'down-after', 'up-after', 'host', 'port', 'dashboard-token'];
    for (const spec of CONFIG_FLAGS) {
      expect(commandsWithOption(spec.flag).length, spec.flag).toBeGreaterThan(0);
      expect(settingAppliesTo(spec.flag, 'serve'), spec.flag).toBe(true);
      expect(settingAppliesTo(spec.flag, 'sync'), spec.flag).toBe(!serving.includes(spec.flag));
    }
    for (const flag of serving) expect(commandsWithOption(flag), flag).toEqual(['serve']);
  });

  it('gives status, history and report no server, planning or notification setting', () => {
    for (const command of ['status', 'history', 'report'] as const) {
      const options = optionsOf(command);
      for (const flag of ['primary-url', 'backup-url', 'backup-2-user', 'backup', 'timeout', 'ca-file', 'mode', 'delete', 'every', 'notify-webhook', 'ping-url']) {
        expect(options, `${command} --${flag}`).not.toContain(flag);
      }
      expect(options).toContain('state-dir');
    }
  });

  it('declares the password names on every command, so that each can say why a password flag is refused', () => {
    for (const command of CLI_COMMANDS) for (const key of PASSWORD_KEYS) expect(optionsOf(command), `${command} --${key}`).toContain(key);
  });

  it('has a translated description for every output option the help shows', () => {
    const shown = Object.entries(OUTPUT_OPTIONS).filter(([, option]) => !('hidden' in option && option.hidden));
    expect(Object.keys(OUTPUT_OPTION_TEXTS).sort()).toEqual(shown.map(([name]) => name).sort());
  });
});
