import { licenseEndDate, type CalendarDate } from '../../domain/calendar-date.js';
import type { LicenseRecord } from '../../snapshot/records.js';
import type { UpsertBody } from '../../domain/upsert-body.js';
import type { OperationDraft } from '../operation.js';

/**
 * One license on one server after `drafts` are applied as the contract says:
 * an upsert overwrites content and owner, forces status active and re-dates
 * from today; block and activate touch the status only. Undefined: absent.
 */
export function projectLicense(license: LicenseRecord | undefined, drafts: readonly OperationDraft[], today: CalendarDate): LicenseRecord | undefined {
  let result = license;
  for (const draft of drafts) {
    switch (draft.kind) {
      case 'create-license':
        result = upserted(result, draft.body, today);
        if (draft.thenBlock !== null) result = { ...result, status: 'blocked' };
        break;
      case 'update-license':
        result = upserted(result, draft.body, today);
        break;
      case 'update-created-by':
        if (result !== undefined) result = { ...result, created_by: draft.createdBy };
        break;
      case 'block':
        if (result !== undefined) result = { ...result, status: 'blocked' };
        break;
      case 'activate':
        if (result !== undefined) result = { ...result, status: 'active' };
        break;
      case 'delete-license':
        result = undefined;
        break;
      case 'create-user':
        break;
    }
  }
  return result;
}

function upserted(previous: LicenseRecord | undefined, body: UpsertBody, today: CalendarDate): LicenseRecord {
  const written = {
    device_id: body.device_id,
    owner_name: body.owner_name,
    cpf: body.cpf,
    email: body.email,
    address: body.address,
    license_type: body.license_type,
    created_by: body.created_by,
    status: 'active' as const,
    start_date: today,
    end_date: licenseEndDate(body.license_type, today),
  };
  if (previous !== undefined) return { ...previous, ...written };
  return { ...written, custom_interval: 60, features: 'core', last_seen_at: null, last_seen_ip: null, last_hostname: null, last_version: null };
}
