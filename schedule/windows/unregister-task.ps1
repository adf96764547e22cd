#Requires -Version 5.1
<#
.SYNOPSIS
Removes the scheduled task registered by register-task.ps1.

.DESCRIPTION
Stops the task if it is running, then unregisters it. Asks for confirmation
first (pass -Confirm:$false to skip the question, -WhatIf to see what would
happen).

The settings file is kept unless -RemoveEnvFile is given. The state folder
(state.db, logs\, new-user-passwords.txt) is always kept: delete it by hand
once you no longer need the run history or the passwords of created users.

.PARAMETER TaskName
Name of the task to remove. Default: sync-dbs.

.PARAMETER RemoveEnvFile
Also delete the settings file (it holds the server passwords). Off by default.

.PARAMETER EnvFile
The settings file to delete with -RemoveEnvFile. Default: the file named by
--env-file in the task's command line, else $env:LOCALAPPDATA\sync-dbs\sync-dbs.env.

.EXAMPLE
PS> .\schedule\windows\unregister-task.ps1

Asks, then removes the task "sync-dbs" and keeps its settings file.

.EXAMPLE
PS> .\schedule\windows\unregister-task.ps1 -TaskName 'sync-dbs-eu' -RemoveEnvFile -Confirm:$false

Removes the task "sync-dbs-eu" and its settings file without asking.
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
param(
    [ValidateNotNullOrEmpty()]
    [string]$TaskName = 'sync-dbs',

    [switch]$RemoveEnvFile,

    [string]$EnvFile
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$task = Get-ScheduledTask -TaskName $TaskName -TaskPath '\' -ErrorAction SilentlyContinue
$stateDir = $null
if ($task) {
    foreach ($action in @($task.Actions)) {
        $arguments = [string]$action.Arguments
        if (-not $EnvFile -and $arguments -match '--env-file "([^"]+)"') { $EnvFile = $Matches[1] }
        if ($arguments -match '--state-dir "([^"]+)"') { $stateDir = $Matches[1] }
    }
    if ($PSCmdlet.ShouldProcess($TaskName, 'Stop and unregister the scheduled task')) {
        if ($task.State -eq 'Running') { Stop-ScheduledTask -TaskName $TaskName -TaskPath '\' }
        Unregister-ScheduledTask -TaskName $TaskName -TaskPath '\' -Confirm:$false
        Write-Host "Removed the scheduled task '$TaskName'."
    }
} else {
    Write-Warning "There is no scheduled task named '$TaskName' in the root folder (Get-ScheduledTask lists them)."
}

if (-not $EnvFile) { $EnvFile = Join-Path $env:LOCALAPPDATA 'sync-dbs\sync-dbs.env' }
if ($RemoveEnvFile) {
    if (Test-Path -LiteralPath $EnvFile -PathType Leaf) {
        if ($PSCmdlet.ShouldProcess($EnvFile, 'Delete the settings file (server passwords)')) {
            Remove-Item -LiteralPath $EnvFile -Force
            Write-Host "Deleted $EnvFile."
        }
    } else {
        Write-Warning "No settings file at $EnvFile."
    }
} elseif (Test-Path -LiteralPath $EnvFile -PathType Leaf) {
    Write-Host "Kept the settings file $EnvFile (it holds the server passwords): delete it with -RemoveEnvFile, or by hand."
}

if ($stateDir) {
    Write-Host "Kept the state folder $stateDir (state.db, logs, new-user-passwords.txt); delete it by hand when no longer needed."
}
