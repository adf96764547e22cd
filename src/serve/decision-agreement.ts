import type { DecisionAgreement } from '../dashboard/dashboard-status.js';
import type { CalendarDate } from '../domain/calendar-date.js';
import { allows, licenseDecision } from '../domain/decision.js';
import type { Snapshot } from '../snapshot/records.js';

/** The differences the status lists at most. */
export const MAX_DIFFERING = 20;

type Answer = 'allow' | 'deny' | 'absent';

/**
 * What `/verify` would answer today on the primary and on one backup, for
 * every license either side lists, from the listings alone (calling /verify
 * would record client telemetry: a write). An unknown device is denied by the
 * server, but shown as `absent`. Agreement is the same allow/deny answer.
 */
export function decisionAgreement(primary: Snapshot, backup: Snapshot, today: CalendarDate, at: Date): DecisionAgreement {
  const deviceIds = [...new Set([...primary.licenses.keys(), ...backup.licenses.keys()])].sort();
  let agreeing = 0;
  const differing: { deviceId: string; primary: Answer; backup: Answer }[] = [];
  for (const deviceId of deviceIds) {
    const onPrimary = answerOf(primary, deviceId, today);
    const onBackup = answerOf(backup, deviceId, today);
    if (allowed(onPrimary) === allowed(onBackup)) agreeing += 1;
    else if (differing.length < MAX_DIFFERING) differing.push({ deviceId, primary: onPrimary, backup: onBackup });
  }
  return { at: at.toISOString(), licenses: deviceIds.length, agreeing, differing };
}

function answerOf(snapshot: Snapshot, deviceId: string, today: CalendarDate): Answer {
  const license = snapshot.licenses.get(deviceId);
  if (license === undefined) return 'absent';
  return allows(licenseDecision(license, today)) ? 'allow' : 'deny';
}

function allowed(answer: Answer): boolean {
  return answer === 'allow';
}
