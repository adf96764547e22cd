import type { LicenseServer } from '../api/license-server.js';
import { buildSnapshot } from '../snapshot/build-snapshot.js';
import type { Snapshot } from '../snapshot/records.js';

/** Lists users and licenses of one server and validates them record by record. */
export async function readSnapshot(server: LicenseServer): Promise<Snapshot> {
  const [users, licenses] = await Promise.all([server.listUsers(), server.listLicenses()]);
  return buildSnapshot(users, licenses);
}
