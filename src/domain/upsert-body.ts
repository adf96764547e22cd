import type { LicenseType } from './license-type.js';

/** The body of `POST /admin/devices/create`; null fields are left out of the request. */
export interface UpsertBody {
  readonly device_id: string;
  readonly license_type: LicenseType;
  readonly owner_name: string | null;
  readonly cpf: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly created_by: string;
}
