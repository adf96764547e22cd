#Requires -Version 5.1
<#
.SYNOPSIS
Registers the Windows scheduled task that runs `sync-dbs sync` every hour.

.DESCRIPTION
Creates (or replaces) one task in the root folder of Task Scheduler that runs

    "<NodePath>" "<CliPath>" sync --env-file "<EnvFile>" --state-dir "<StateDir>" --quiet

in the state folder, every IntervalMinutes minutes, for ever:

  * the trigger repeats indefinitely (no repetition duration at all, checked
    again after registration), starting at minute 7 of the next hour;
  * no two runs overlap (MultipleInstances IgnoreNew; sync-dbs also holds its
    own lock and exits 5 when another run has it);
  * a run is stopped after ExecutionTimeLimitMinutes (less than the interval);
  * a run missed while the computer was off or asleep starts as soon as it can
    (StartWhenAvailable), on batteries too;
  * it runs whether or not the user is logged on, without storing any password
    (logon type S4U), with a standard, non-elevated token (RunLevel Limited);
  * the server passwords stay in EnvFile, readable only by the user and SYSTEM,
    and never appear on the task's command line or in this script's output.

When EnvFile does not exist it is created from schedule\sync-dbs.env.example
(placeholders only, no secrets) and its access list is restricted; edit it
before the first run. An existing EnvFile that others can read is restricted
the same way, with a warning.

S4U gives the task no network credentials: it cannot open Windows file shares
(\\server\share) or use integrated Windows authentication. Plain HTTPS to the
license servers works. Keep EnvFile, any password files, StateDir and the
sync-dbs folder on local disks.

Registering a task that runs while you are logged off can require an elevated
PowerShell (depending on the edition and local policy); the task itself still
runs with the user's standard rights.

.PARAMETER TaskName
Name of the task in the Task Scheduler Library (root folder). Default: sync-dbs.
Registering again with the same name replaces the task.

.PARAMETER NodePath
Full path of node.exe (Node.js 20.19 or later). Default: the `node` that
Get-Command finds on the PATH of this PowerShell session.

.PARAMETER CliPath
Full path of the built command line, dist\cli\main.js. Default: ..\..\dist\cli\main.js
relative to this script (run `npm ci` and `npm run build` first).

.PARAMETER EnvFile
The protected settings file passed with --env-file: SYNC_DBS_PRIMARY_URL,
SYNC_DBS_PRIMARY_USER, SYNC_DBS_PRIMARY_PASSWORD or SYNC_DBS_PRIMARY_PASSWORD_FILE,
the same for BACKUP, and any other SYNC_DBS_* setting.
Default: $env:LOCALAPPDATA\sync-dbs\sync-dbs.env. Created from the template
when missing.

.PARAMETER StateDir
Folder passed with --state-dir and used as the task's working folder
(state.db, logs\, new-user-passwords.txt). Default: $env:LOCALAPPDATA\sync-dbs,
the same folder sync-dbs uses when run by hand. Created when missing.

.PARAMETER IntervalMinutes
Minutes between two runs (5 to 1440). Default: 60. Any value other than 60 is
also passed as --expect-every, so that `sync-dbs status` knows when runs are late.

.PARAMETER ExecutionTimeLimitMinutes
Minutes after which Task Scheduler stops a run that is still going. Must be
less than IntervalMinutes. Default: 50.

.PARAMETER User
The account the task runs as, e.g. DOMAIN\name or COMPUTER\name. Default: the
user running this script. For another user, give EnvFile and StateDir
explicitly (the defaults are in your own profile).

.EXAMPLE
PS> .\schedule\windows\register-task.ps1

Registers the task "sync-dbs" for the current user with every default, creating
$env:LOCALAPPDATA\sync-dbs\sync-dbs.env from the template if it is missing.

.EXAMPLE
PS> .\schedule\windows\register-task.ps1 -WhatIf

Shows what would be created and registered, and changes nothing.

.EXAMPLE
PS> .\schedule\windows\register-task.ps1 -TaskName 'sync-dbs-eu' -EnvFile 'D:\sync-dbs\eu.env' -StateDir 'D:\sync-dbs\eu' -IntervalMinutes 30 -ExecutionTimeLimitMinutes 25

A second, independent task for another pair of servers, every 30 minutes.

.NOTES
Check:  Get-ScheduledTaskInfo -TaskName sync-dbs   (LastTaskResult is sync-dbs's exit code)
Remove: .\schedule\windows\unregister-task.ps1
Works with Windows PowerShell 5.1 and PowerShell 7 (ScheduledTasks module).
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [ValidateNotNullOrEmpty()]
    [string]$TaskName = 'sync-dbs',

    [string]$NodePath,

    [string]$CliPath,

    [string]$EnvFile,

    [string]$StateDir,

    [ValidateRange(5, 1440)]
    [int]$IntervalMinutes = 60,

    [ValidateRange(1, 1439)]
    [int]$ExecutionTimeLimitMinutes = 50,

    [ValidateNotNullOrEmpty()]
    [string]$User = [System.Security.Principal.WindowsIdentity]::GetCurrent().Name
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# Minute past the hour of the first run: not 0, to stay out of the top-of-hour
# rush on the free-tier license servers (the cron line uses the same minute).
$StartMinute = 7
$SystemSid = New-Object System.Security.Principal.SecurityIdentifier('S-1-5-18')
$AdministratorsSid = New-Object System.Security.Principal.SecurityIdentifier('S-1-5-32-544')

function Resolve-UserSid([string]$Name) {
    try {
        $account = New-Object System.Security.Principal.NTAccount($Name)
        return $account.Translate([System.Security.Principal.SecurityIdentifier])
    } catch {
        throw "Unknown account '$Name': give -User as DOMAIN\name or COMPUTER\name."
    }
}

function Get-FullPath([string]$Path) {
    return $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

function Assert-Quotable([string]$Label, [string]$Path) {
    # The task's arguments are one command line: a double quote in a path would
    # break it (trailing backslashes, which would escape the closing quote, are
    # trimmed from StateDir; file paths cannot end with one).
    if ($Path.Contains('"')) { throw "$Label must not contain a double quote: $Path" }
}

function Get-ReadersOtherThan([string]$Path, [System.Security.Principal.SecurityIdentifier[]]$Allowed) {
    # Accounts other than $Allowed that an Allow entry lets read the file.
    # Read access is the ReadData bit (in Read, Modify, FullControl...) or the
    # generic GENERIC_READ / GENERIC_ALL bits.
    $acl = Get-Acl -LiteralPath $Path
    $readMask = 0x1 -bor 0x10000000 -bor [int]::MinValue
    $others = @()
    foreach ($rule in $acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier])) {
        if ($rule.AccessControlType -ne [System.Security.AccessControl.AccessControlType]::Allow) { continue }
        if (([int]$rule.FileSystemRights -band $readMask) -eq 0) { continue }
        $sid = [System.Security.Principal.SecurityIdentifier]$rule.IdentityReference
        if ($Allowed -contains $sid) { continue }
        try { $name = $sid.Translate([System.Security.Principal.NTAccount]).Value } catch { $name = $sid.Value }
        $others += $name
    }
    return , $others
}

function Set-PrivateAcl([string]$Path, [System.Security.Principal.SecurityIdentifier]$UserSid, [switch]$Directory) {
    # Only the user (read, write and delete, so that the user can edit and
    # remove it) and SYSTEM (full control); nothing inherited. Roughly:
    #   icacls <path> /inheritance:r /grant:r "<user>:(R,W,D)" "*S-1-5-18:(F)"
    $acl = Get-Acl -LiteralPath $Path
    $acl.SetAccessRuleProtection($true, $false)
    foreach ($rule in @($acl.GetAccessRules($true, $false, [System.Security.Principal.SecurityIdentifier]))) {
        [void]$acl.RemoveAccessRuleAll($rule)
    }
    if ($Directory) {
        $inherit = [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
        $userRights = [System.Security.AccessControl.FileSystemRights]::Modify
    } else {
        $inherit = [System.Security.AccessControl.InheritanceFlags]::None
        $userRights = [System.Security.AccessControl.FileSystemRights]'Read, Write, Delete'
    }
    $none = [System.Security.AccessControl.PropagationFlags]::None
    $allow = [System.Security.AccessControl.AccessControlType]::Allow
    $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($UserSid, $userRights, $inherit, $none, $allow)))
    $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($SystemSid, [System.Security.AccessControl.FileSystemRights]::FullControl, $inherit, $none, $allow)))
    Set-Acl -LiteralPath $Path -AclObject $acl
}

function Get-PlaceholderKeys([string]$Path) {
    # Names (never values) of the settings still holding the template's placeholders.
    $keys = @()
    foreach ($line in [System.IO.File]::ReadAllLines($Path)) {
        if ($line -match '^\s*(SYNC_DBS_[A-Z_]+)\s*=\s*(.*)$') {
            $value = $Matches[2].Trim()
            if ($value -eq 'CHANGE-ME' -or $value -like '*.example.invalid*') { $keys += $Matches[1] }
        }
    }
    $hasPassword = @([System.IO.File]::ReadAllLines($Path) | Where-Object { $_ -match '^\s*SYNC_DBS_(PRIMARY|BACKUP)_PASSWORD(_FILE)?\s*=\s*\S' }).Count
    if ($hasPassword -lt 2) { $keys += 'SYNC_DBS_PRIMARY_PASSWORD[_FILE] / SYNC_DBS_BACKUP_PASSWORD[_FILE]' }
    return , $keys
}

# --- Inputs -------------------------------------------------------------------

if (-not (Get-Module -ListAvailable -Name ScheduledTasks)) {
    throw 'The ScheduledTasks module is missing (it ships with Windows 8 / Server 2012 and later).'
}

$currentUser = [System.Security.Principal.WindowsIdentity]::GetCurrent()
$userSid = Resolve-UserSid $User
$isOtherUser = $userSid -ne $currentUser.User
if ($isOtherUser -and (-not $PSBoundParameters.ContainsKey('EnvFile') -or -not $PSBoundParameters.ContainsKey('StateDir'))) {
    throw "The task runs as $User, not as you: give -EnvFile and -StateDir explicitly (the defaults are in your profile, which $User cannot read)."
}

if (-not $NodePath) {
    $node = Get-Command -Name node -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $node) { throw 'node.exe was not found on the PATH: install Node.js 20.19 or later, or give -NodePath.' }
    $NodePath = $node.Path
}
$NodePath = Get-FullPath $NodePath
if (-not (Test-Path -LiteralPath $NodePath -PathType Leaf)) { throw "NodePath does not exist: $NodePath" }
$nodeVersion = (& $NodePath --version) -replace '^v', ''
if ([version]$nodeVersion -lt [version]'20.19') { throw "sync-dbs needs Node.js 20.19 or later; $NodePath is $nodeVersion." }

if (-not $CliPath) { $CliPath = Join-Path $PSScriptRoot '..\..\dist\cli\main.js' }
$CliPath = Get-FullPath $CliPath
if (-not (Test-Path -LiteralPath $CliPath -PathType Leaf)) {
    throw "CliPath does not exist: $CliPath. Build sync-dbs first (npm ci; npm run build) or give -CliPath."
}

if (-not $EnvFile) { $EnvFile = Join-Path $env:LOCALAPPDATA 'sync-dbs\sync-dbs.env' }
$EnvFile = Get-FullPath $EnvFile
if (-not $StateDir) { $StateDir = Join-Path $env:LOCALAPPDATA 'sync-dbs' }
$StateDir = (Get-FullPath $StateDir).TrimEnd('\')
if ($StateDir -match '^[A-Za-z]:$') { $StateDir += '\.' }

if ($ExecutionTimeLimitMinutes -ge $IntervalMinutes) {
    throw "ExecutionTimeLimitMinutes ($ExecutionTimeLimitMinutes) must be less than IntervalMinutes ($IntervalMinutes), so that a run ends before the next one is due."
}
foreach ($item in @(@('NodePath', $NodePath), @('CliPath', $CliPath), @('EnvFile', $EnvFile), @('StateDir', $StateDir))) {
    Assert-Quotable $item[0] $item[1]
}
if ($EnvFile.StartsWith('\\') -or $StateDir.StartsWith('\\')) {
    Write-Warning 'EnvFile or StateDir is on a network share: an S4U task has no network credentials and will not be able to read it.'
}

# --- State folder and protected settings file ---------------------------------

if (-not (Test-Path -LiteralPath $StateDir -PathType Container)) {
    if ($PSCmdlet.ShouldProcess($StateDir, 'Create the state folder, readable only by the user and SYSTEM')) {
        New-Item -ItemType Directory -Path $StateDir -Force | Out-Null
        Set-PrivateAcl -Path $StateDir -UserSid $userSid -Directory
    }
}

$allowedReaders = @($userSid, $SystemSid, $AdministratorsSid)
if (-not (Test-Path -LiteralPath $EnvFile -PathType Leaf)) {
    $template = Join-Path $PSScriptRoot '..\sync-dbs.env.example'
    if (-not (Test-Path -LiteralPath $template -PathType Leaf)) { throw "The template is missing: $template" }
    if ($PSCmdlet.ShouldProcess($EnvFile, 'Create the settings file from the template (placeholders only) and restrict it to the user and SYSTEM')) {
        $envDir = Split-Path -Parent $EnvFile
        if (-not (Test-Path -LiteralPath $envDir -PathType Container)) { New-Item -ItemType Directory -Path $envDir -Force | Out-Null }
        # UTF-8 without a byte order mark, which Windows PowerShell 5.1's Set-Content would add.
        $text = [System.IO.File]::ReadAllText((Get-FullPath $template))
        [System.IO.File]::WriteAllText($EnvFile, $text, (New-Object System.Text.UTF8Encoding($false)))
        Set-PrivateAcl -Path $EnvFile -UserSid $userSid
        Write-Host "Created $EnvFile from the template. Edit it before the first run: notepad `"$EnvFile`""
    }
} else {
    $others = Get-ReadersOtherThan -Path $EnvFile -Allowed $allowedReaders
    if ($others.Count -gt 0) {
        Write-Warning ("$EnvFile can be read by " + ($others -join ', ') + '; restricting it to the user and SYSTEM.')
        if ($PSCmdlet.ShouldProcess($EnvFile, 'Restrict the settings file to the user and SYSTEM')) {
            Set-PrivateAcl -Path $EnvFile -UserSid $userSid
        }
    }
}
if (Test-Path -LiteralPath $EnvFile -PathType Leaf) {
    $others = Get-ReadersOtherThan -Path $EnvFile -Allowed $allowedReaders
    if ($others.Count -gt 0 -and -not $WhatIfPreference) {
        throw ("Refusing to continue: $EnvFile can still be read by " + ($others -join ', ') + '. Fix its permissions and run this script again.')
    }
    $placeholders = Get-PlaceholderKeys $EnvFile
    if ($placeholders.Count -gt 0) {
        Write-Warning ("$EnvFile still needs real values for: " + ($placeholders -join ', ') + '. Runs stop with exit code 2 until it is edited.')
    }
}

# --- The task -------------------------------------------------------------------

$arguments = '"{0}" sync --env-file "{1}" --state-dir "{2}" --quiet' -f $CliPath, $EnvFile, $StateDir
$expectEvery = ''
if ($IntervalMinutes -ne 60) {
    $expectEvery = " --expect-every ${IntervalMinutes}m"
    $arguments += $expectEvery
}
$action = New-ScheduledTaskAction -Execute $NodePath -Argument $arguments -WorkingDirectory $StateDir

# First run at minute 7 of the next hour (local time), then every
# IntervalMinutes for ever. Indefinite repetition means no Duration at all:
# -RepetitionDuration is never passed ([TimeSpan]::MaxValue is rejected by
# recent builds, and any finite value silently ends the schedule), and
# Duration is cleared in case an older build filled one in.
$now = Get-Date
$start = $now.Date.AddHours($now.Hour).AddMinutes($StartMinute)
while ($start -le $now.AddMinutes(1)) { $start = $start.AddMinutes($IntervalMinutes) }
try {
    $trigger = New-ScheduledTaskTrigger -Once -At $start -RepetitionInterval (New-TimeSpan -Minutes $IntervalMinutes)
} catch {
    # A build that insists on a duration with an interval: build the repetition below.
    $trigger = New-ScheduledTaskTrigger -Once -At $start
}
if ($null -eq $trigger.Repetition) {
    $repetitionClass = Get-CimClass -ClassName MSFT_TaskRepetitionPattern -Namespace Root/Microsoft/Windows/TaskScheduler
    $trigger.Repetition = New-CimInstance -CimClass $repetitionClass -ClientOnly
    $trigger.Repetition.Interval = 'PT{0}M' -f $IntervalMinutes
}
$trigger.Repetition.Duration = ''
$trigger.Repetition.StopAtDurationEnd = $false

# RestartCount/RestartInterval: if Task Scheduler could not start a run (not
# when sync-dbs exits non-zero), try again twice, 5 minutes apart.
$settings = New-ScheduledTaskSettingsSet `
    -MultipleInstances IgnoreNew `
    -ExecutionTimeLimit (New-TimeSpan -Minutes $ExecutionTimeLimitMinutes) `
    -StartWhenAvailable `
    -AllowStartIfOnBatteries `
    -DontStopIfGoingOnBatteries `
    -RestartCount 2 `
    -RestartInterval (New-TimeSpan -Minutes 5)

# S4U: runs whether or not the user is logged on, and no password is stored.
# Limited: the user's standard token, never elevated.
$principal = New-ScheduledTaskPrincipal -UserId $User -LogonType S4U -RunLevel Limited

$description = 'sync-dbs: brings the backup license servers in step with the primary. Settings: ' + $EnvFile + '. Remove with schedule\windows\unregister-task.ps1.'

if ($PSCmdlet.ShouldProcess("$TaskName (runs as $User, every $IntervalMinutes min from $($start.ToString('yyyy-MM-dd HH:mm')))", 'Register the scheduled task')) {
    Register-ScheduledTask -TaskName $TaskName -TaskPath '\' -Action $action -Trigger $trigger -Settings $settings `
        -Principal $principal -Description $description -Force | Out-Null

    # Read the task back: the repetition must have an interval and no duration.
    [xml]$registered = Export-ScheduledTask -TaskName $TaskName -TaskPath '\'
    $namespace = New-Object System.Xml.XmlNamespaceManager($registered.NameTable)
    $namespace.AddNamespace('t', 'http://schemas.microsoft.com/windows/2004/02/mit/task')
    $interval = $registered.SelectSingleNode('//t:Triggers/*/t:Repetition/t:Interval', $namespace)
    $duration = $registered.SelectSingleNode('//t:Triggers/*/t:Repetition/t:Duration', $namespace)
    if ($null -eq $interval -or [System.Xml.XmlConvert]::ToTimeSpan($interval.InnerText).TotalMinutes -ne $IntervalMinutes) {
        throw "The registered task has no $IntervalMinutes-minute repetition. Inspect it with: Export-ScheduledTask -TaskName '$TaskName'"
    }
    if ($null -ne $duration -and $duration.InnerText -ne '') {
        throw "The registered task repeats only for $($duration.InnerText), not indefinitely. Inspect it with: Export-ScheduledTask -TaskName '$TaskName'"
    }
    $info = Get-ScheduledTaskInfo -TaskName $TaskName -TaskPath '\'
    if ($null -eq $info.NextRunTime) {
        throw "The registered task has no next run time. Inspect it with: Export-ScheduledTask -TaskName '$TaskName'"
    }
    Write-Host ''
    Write-Host "Registered task '$TaskName': runs as $User (S4U, not elevated) every $IntervalMinutes minutes, indefinitely;"
    Write-Host "next run $($info.NextRunTime); a run is stopped after $ExecutionTimeLimitMinutes minutes; runs never overlap."
}

# --- How to check and remove ----------------------------------------------------

$statusCommand = "& '$NodePath' '$CliPath' status --state-dir '$StateDir'$expectEvery"
Write-Host @"

Test one run by hand now (as $User):
  & '$NodePath' '$CliPath' sync --env-file '$EnvFile' --state-dir '$StateDir'

Check:
  Get-ScheduledTask -TaskName '$TaskName' | Select-Object TaskName, State
  Get-ScheduledTaskInfo -TaskName '$TaskName' | Select-Object LastRunTime, LastTaskResult, NextRunTime
  Start-ScheduledTask -TaskName '$TaskName'      # run it now, as the scheduler would
  $statusCommand
                                                 # exit 0 healthy, non-zero otherwise
  Logs: $StateDir\logs\ (daily JSON files); history: ... history --state-dir '$StateDir'

LastTaskResult is sync-dbs's exit code:
  0 in sync                 1 some writes failed        2 usage or configuration error
  3 a server unreachable    4 a guard refused to write  5 another run holds the lock
  6 interrupted             267009 (0x41301) running now
  267011 (0x41303) not run yet                          267014 (0x41306) stopped (time limit or by hand)
  2147942402 (0x80070002) node.exe or main.js not found: register again with -NodePath / -CliPath

Remove:
  & '$(Join-Path $PSScriptRoot 'unregister-task.ps1')' -TaskName '$TaskName'
"@
