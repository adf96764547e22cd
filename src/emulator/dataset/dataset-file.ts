import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { LICENSE_TYPES } from '../../domain/license-type.js';
import { isCalendarDate } from '../../domain/calendar-date.js';

// The emulator's whole database as one JSON file: what `npm run dataset` writes,
// what `--data` loads and what `--dump` writes back. Rows use the API's field names.

const calendarDate = z.string().refine(isCalendarDate, 'expected a YYYY-MM-DD date');
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DD HH:MM:SS');
const text = z.string().min(1).nullable();

export const deviceRowSchema = z.strictObject({
  id: z.number().int().positive(),
  device_id: z.string().min(1),
  owner_name: text,
  cpf: text,
  email: text,
  address: text,
  license_type: z.enum(LICENSE_TYPES),
  status: z.enum(['active', 'blocked', 'pending']),
  start_date: calendarDate.nullable(),
  end_date: calendarDate.nullable(),
  custom_interval: z.number().int().nullable(),
  features: text,
  last_seen_at: timestamp.nullable(),
  last_seen_ip: text,
  last_hostname: text,
  last_version: text,
  created_by: text,
});

export const userRowSchema = z.strictObject({
  id: z.number().int().positive(),
  username: z.string().min(1),
  email: text,
  role: z.enum(['admin', 'user']),
  created_at: timestamp,
  password_hash: z.string().min(1),
});

export const adminUserSchema = z.strictObject({
  username: z.string().min(1),
  password_hash: z.string().min(1),
  must_change_password: z.boolean(),
});

export const DATASET_FORMAT = 'sync-dbs-emulator-dataset/1';

export const datasetSchema = z
  .strictObject({
    format: z.literal(DATASET_FORMAT),
    admin_users: z.array(adminUserSchema),
    users: z.array(userRowSchema),
    devices: z.array(deviceRowSchema),
  })
  .superRefine((dataset, ctx) => {
    const unique = (values: string[], what: string, path: string) => {
      const seen = new Set<string>();
      values.forEach((value, index) => {
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [path, index], message: `duplicate ${what} ${JSON.stringify(value)}` });
        seen.add(value);
      });
    };
    unique(dataset.devices.map((d) => d.device_id), 'device_id', 'devices');
    unique(dataset.devices.map((d) => String(d.id)), 'id', 'devices');
    unique(dataset.users.map((u) => String(u.id)), 'id', 'users');
    unique([...dataset.admin_users, ...dataset.users].map((u) => u.username), 'username', 'users');
  });

export type DeviceRow = z.infer<typeof deviceRowSchema>;
export type UserRow = z.infer<typeof userRowSchema>;
export type AdminUser = z.infer<typeof adminUserSchema>;
export type Dataset = z.infer<typeof datasetSchema>;

export class DatasetError extends Error {
  override name = 'DatasetError';
}

export function parseDataset(value: unknown, source: string): Dataset {
  const result = datasetSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 10)
    .map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('\n');
  const more = result.error.issues.length > 10 ? `\n  ... and ${result.error.issues.length - 10} more` : '';
  throw new DatasetError(`${source} is not a valid emulator dataset:\n${problems}${more}`);
}

export async function readDatasetFile(path: string): Promise<Dataset> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DatasetError(`cannot read dataset ${path}: ${(error as Error).message}`);
  }
  return parseDataset(parsed, path);
}

export async function writeDatasetFile(path: string, dataset: Dataset): Promise<void> {
  await writeFile(path, `${JSON.stringify(dataset)}\n`, 'utf8');
}
