import { z } from 'zod';
import { LICENSE_STATUSES } from '../domain/decision.js';
import { LICENSE_TYPES } from '../domain/license-type.js';
import { USER_ROLES } from './records.js';

// One listed record, as the contract describes it: every field it lists must
// be present with its type; extra fields are ignored. The schemas check types
// only; trimming, dates and keys are read afterwards (read-record.ts). Zod
// transforms cost about 30x the time and memory of a plain check, which shows
// at 100,000 records.

const text = z.string().nullable();
const date = z.string().nullable();

export const userRowSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  email: text,
  role: z.enum(USER_ROLES),
  created_at: z.string().nullable(),
});

export const licenseRowSchema = z.object({
  id: z.number().int(),
  device_id: z.string(),
  owner_name: text,
  cpf: text,
  email: text,
  address: text,
  license_type: z.enum(LICENSE_TYPES),
  status: z.enum(LICENSE_STATUSES),
  start_date: date,
  end_date: date,
  custom_interval: z.number().int().nullable(),
  features: text,
  last_seen_at: text,
  last_seen_ip: text,
  last_hostname: text,
  last_version: text,
  created_by: text,
});

export type UserRow = z.infer<typeof userRowSchema>;
export type LicenseRow = z.infer<typeof licenseRowSchema>;

/** The listing envelope: `{"items": [...]}`. Records are checked one by one. */
export const listingSchema = z.object({ items: z.array(z.unknown()) });
