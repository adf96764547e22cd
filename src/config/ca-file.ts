import { t } from '../i18n/i18n.js';
import type { Problems } from './layers.js';
import { readTextFile } from './text-file.js';

/** Reads the --ca-file PEM text; TLS itself is the HTTP client's job. Null after recording a problem. */
export async function readCaFile(caFile: { readonly path: string; readonly label: string }, problems: Problems): Promise<string | null> {
  const read = await readTextFile(caFile.path);
  if (!read.ok) {
    problems.push(`${caFile.label}: ${t('config:file.unreadable', { file: caFile.path, reason: read.reason })}`);
    return null;
  }
  if (!read.text.includes('-----BEGIN CERTIFICATE-----')) {
    problems.push(`${caFile.label}: ${t('config:caFile.noCertificate', { file: caFile.path })}`);
    return null;
  }
  return read.text;
}
