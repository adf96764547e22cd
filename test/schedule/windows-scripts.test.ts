// pwsh is not installed here (nor packaged by Debian), so the PowerShell
// scripts are checked statically against issue 4 item 9: the settings that
// meet each requirement, the help of every parameter, and a balanced syntax.
import { describe, expect, it } from 'vitest';
import {
  delimiterProblems,
  powerShellCode,
  powerShellHelp,
  powerShellParameters,
  readScheduleFile,
} from './support/schedule-files.js';

const REGISTER = 'windows/register-task.ps1';
const UNREGISTER = 'windows/unregister-task.ps1';

/** The script's code without comments or help (strings kept), line continuations and runs of blanks folded. */
function codeOf(relative: string): string {
  const { code, problems } = powerShellCode(readScheduleFile(relative), { keepStrings: true });
  expect(problems).toEqual([]);
  return code.replace(/`\r?\n\s*/g, ' ').replace(/[ \t]+/g, ' ');
}

function expectHelpFor(relative: string, expected: readonly string[]): void {
  const text = readScheduleFile(relative);
  const help = powerShellHelp(text);
  expect(help.keywords).toEqual(expect.arrayContaining(['SYNOPSIS', 'DESCRIPTION', 'PARAMETER', 'EXAMPLE']));
  const declared = powerShellParameters(text).map((parameter) => parameter.name);
  expect(declared).toEqual(expected);
  // Every parameter documented, and nothing documented that does not exist.
  expect([...help.parameters].sort()).toEqual([...declared].sort());
  for (const name of declared) {
    const section = new RegExp(`^\\.PARAMETER ${name}\\n([\\s\\S]*?)(?=^\\.[A-Z]+|$(?![\\s\\S]))`, 'm').exec(help.body)?.[1] ?? '';
    expect(section.trim().length, `.PARAMETER ${name} has a description`).toBeGreaterThan(20);
  }
}

describe.each([REGISTER, UNREGISTER])('schedule/%s as text', (relative) => {
  it('is plain ASCII (Windows PowerShell 5.1 reads a BOM-less file as the ANSI code page) with balanced (), [] and {}', () => {
    const text = readScheduleFile(relative);
    expect([...text].filter((char) => char.charCodeAt(0) > 0x7e || (char.charCodeAt(0) < 0x20 && !'\n\r\t'.includes(char)))).toEqual([]);
    const { code, problems } = powerShellCode(text);
    expect(problems).toEqual([]);
    expect(delimiterProblems(code)).toEqual([]);
    expect(text.startsWith('#Requires -Version 5.1')).toBe(true);
    expect(text).toContain("$ErrorActionPreference = 'Stop'");
    expect(text).toMatch(/\[CmdletBinding\(SupportsShouldProcess = \$true/);
  });
});

describe('schedule/windows/register-task.ps1 against issue 4 item 9', () => {
  const text = readScheduleFile(REGISTER);
  const code = codeOf(REGISTER);

  it('documents every parameter, with the agreed defaults', () => {
    expectHelpFor(REGISTER, ['TaskName', 'NodePath', 'CliPath', 'EnvFile', 'StateDir', 'IntervalMinutes', 'ExecutionTimeLimitMinutes', 'User']);
    const defaults = Object.fromEntries(powerShellParameters(text).map((parameter) => [parameter.name, parameter.defaultValue]));
    expect(defaults).toMatchObject({ TaskName: "'sync-dbs'", IntervalMinutes: '60', ExecutionTimeLimitMinutes: '50' });
    expect(defaults.User).toContain('WindowsIdentity]::GetCurrent().Name');
    expect(code).toContain("Get-Command -Name node -CommandType Application");
    expect(code).toContain("Join-Path $PSScriptRoot '..\\..\\dist\\cli\\main.js'");
    expect(code).toContain("Join-Path $env:LOCALAPPDATA 'sync-dbs\\sync-dbs.env'");
  });

  it('repeats every IntervalMinutes indefinitely: no repetition duration, never MaxValue or a 365-day window', () => {
    expect(code).toContain('New-ScheduledTaskTrigger -Once -At $start -RepetitionInterval (New-TimeSpan -Minutes $IntervalMinutes)');
    expect(code).toContain("$trigger.Repetition.Interval = 'PT{0}M' -f $IntervalMinutes");
    expect(code).not.toMatch(/-RepetitionDuration|MaxValue|-Days\s+\d|P\d+D/);
    expect(code).toContain("$trigger.Repetition.Duration = ''");
    expect(code).toContain('$trigger.Repetition.StopAtDurationEnd = $false');
    // ...and reads the registered task back to prove it.
    expect(code).toContain('Export-ScheduledTask -TaskName $TaskName');
    expect(code).toMatch(/\$duration\.InnerText -ne ''/);
    expect(code).toMatch(/if \(\$null -eq \$info\.NextRunTime\) \{\s*throw/);
  });

  it('never overlaps, has a time limit under the interval, makes up missed runs, runs on batteries', () => {
    expect(code).toContain('-MultipleInstances IgnoreNew');
    expect(code).toContain('-ExecutionTimeLimit (New-TimeSpan -Minutes $ExecutionTimeLimitMinutes)');
    expect(code).toMatch(/if \(\$ExecutionTimeLimitMinutes -ge \$IntervalMinutes\) \{\s*throw/);
    expect(code).toContain('-StartWhenAvailable');
    expect(code).toContain('-AllowStartIfOnBatteries');
    expect(code).toContain('-DontStopIfGoingOnBatteries');
  });

  it('runs whether or not the user is logged on, without a stored password, not elevated', () => {
    expect(code).toContain('New-ScheduledTaskPrincipal -UserId $User -LogonType S4U -RunLevel Limited');
    expect(code).not.toMatch(/RunLevel Highest|-Password\b|Get-Credential|LogonType (Password|Interactive)/);
    expect(text).toMatch(/S4U gives the task no network credentials/);
  });

  it('keeps credentials in a protected env file, off the command line and out of the output', () => {
    expect(code).toContain(`$arguments = '"{0}" sync --env-file "{1}" --state-dir "{2}" --quiet' -f $CliPath, $EnvFile, $StateDir`);
    expect(code).toContain('New-ScheduledTaskAction -Execute $NodePath -Argument $arguments -WorkingDirectory $StateDir');
    expect(code).not.toMatch(/--(primary|backup)-password/);
    for (const line of code.split('\n').filter((candidate) => candidate.includes('$arguments'))) expect(line).not.toMatch(/password/i);
    // The file: created from the placeholder-only template, inheritance cut,
    // only the user and SYSTEM, checked again, refused if others can still read it.
    expect(code).toContain("Join-Path $PSScriptRoot '..\\sync-dbs.env.example'");
    expect(code).toContain('$acl.SetAccessRuleProtection($true, $false)');
    expect(code).toContain("'S-1-5-18'");
    expect(code).toMatch(/throw \("Refusing to continue: \$EnvFile can still be read by/);
    expect(code).toContain('New-Object System.Text.UTF8Encoding($false)');
    // Never echoes what the file holds: only names of settings are printed.
    for (const line of code.split('\n').filter((candidate) => /Write-(Host|Warning|Output|Verbose)/.test(candidate))) {
      expect(line).not.toMatch(/\$(text|line|value)\b/);
    }
    expect(code).not.toMatch(/Get-Content/);
  });

  it('works in the state folder and prints how to test, check and remove the task', () => {
    for (const expected of [
      'Get-ScheduledTask -TaskName',
      'Get-ScheduledTaskInfo -TaskName',
      'LastTaskResult',
      'Start-ScheduledTask -TaskName',
      "status --state-dir '$StateDir'",
      "sync --env-file '$EnvFile'",
      "Join-Path $PSScriptRoot 'unregister-task.ps1'",
    ]) {
      expect(code).toContain(expected);
    }
    // The exit codes a LastTaskResult can show.
    for (const exitCode of ['0 in sync', '1 some writes failed', '2 usage or configuration error', '3 a server unreachable', '4 a guard refused', '5 another run holds the lock', '6 interrupted']) {
      expect(code).toContain(exitCode);
    }
  });
});

describe('schedule/README.md', () => {
  it('has a parameters table row for every parameter of both scripts', () => {
    const readme = readScheduleFile('README.md');
    for (const relative of [REGISTER, UNREGISTER]) {
      const heading = readme.indexOf(`### \`${relative.split('/')[1] ?? ''}\` parameters`);
      expect(heading, `a "parameters" section for ${relative}`).toBeGreaterThanOrEqual(0);
      const table = readme.slice(heading);
      for (const { name } of powerShellParameters(readScheduleFile(relative))) {
        expect(table, `${relative}: -${name}`).toMatch(new RegExp(`^\\| \`-${name}\` \\|`, 'm'));
      }
    }
  });
});

describe('schedule/windows/unregister-task.ps1', () => {
  const code = codeOf(UNREGISTER);

  it('documents every parameter, asks before removing, and keeps the env file unless told', () => {
    expectHelpFor(UNREGISTER, ['TaskName', 'RemoveEnvFile', 'EnvFile']);
    const parameters = powerShellParameters(readScheduleFile(UNREGISTER));
    expect(parameters.find((parameter) => parameter.name === 'RemoveEnvFile')?.type).toBe('switch');
    expect(code).toContain("ConfirmImpact = 'High'");
    expect(code).toContain("Unregister-ScheduledTask -TaskName $TaskName -TaskPath '\\' -Confirm:$false");
    expect(code).toMatch(/if \(\$RemoveEnvFile\) \{[\s\S]*ShouldProcess\(\$EnvFile[\s\S]*Remove-Item -LiteralPath \$EnvFile/);
  });
});
