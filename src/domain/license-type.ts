export const LICENSE_TYPES = ['mensal', 'trimestral', 'semestral', 'anual', 'trianual', 'vitalicia'] as const;

export type LicenseType = (typeof LICENSE_TYPES)[number];

/** Length of each license type in months; `null` means it never ends. */
export const LICENSE_PERIOD_MONTHS: Readonly<Record<LicenseType, number | null>> = {
  mensal: 1,
  trimestral: 3,
  semestral: 6,
  anual: 12,
  trianual: 36,
  vitalicia: null,
};

export function isLicenseType(value: unknown): value is LicenseType {
  return typeof value === 'string' && (LICENSE_TYPES as readonly string[]).includes(value);
}
