import { z } from 'zod';
import { isCalendarDate } from '../domain/calendar-date.js';
import { LICENSE_STATUSES } from '../domain/decision.js';
import { LICENSE_TYPES } from '../domain/license-type.js';
import { USER_ROLES } from './records.js';

// One listed record, as the contract describes it. Every field the contract
// lists must be present with its type; extra fields are ignored. Strings are
// trimmed and the empty string is read as null, as the server stores them.

const text = z
  .string()
  .nullable()
  .transform((value) => {
    const trimmed = value?.trim();
    return trimmed ? trimmed : null;
  });
const key = z
  .string()
  .transform((value) => value.trim())
  .pipe(z.string().min(1, 'is empty'));
const calendarDate = z.string().refine(isCalendarDate, 'is not a YYYY-MM-DD date').nullable();

export const userRecordSchema = z.object({
  id: z.number().int(),
  username: key,
  email: text,
  role: z.enum(USER_ROLES),
  created_at: z.string().nullable(),
});

export const licenseRecordSchema = z.object({
  id: z.number().int(),
  device_id: key,
  owner_name: text,
  cpf: text,
  email: text,
  address: text,
  license_type: z.enum(LICENSE_TYPES),
  status: z.enum(LICENSE_STATUSES),
  start_date: calendarDate,
  end_date: calendarDate,
  custom_interval: z.number().int().nullable(),
  features: text,
  last_seen_at: text,
  last_seen_ip: text,
  last_hostname: text,
  last_version: text,
  created_by: text.transform((value) => value ?? 'admin'),
});

/** The listing envelope: `{"items": [...]}`. Records are checked one by one. */
export const listingSchema = z.object({ items: z.array(z.unknown()) });
