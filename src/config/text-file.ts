import { t } from '../i18n/i18n.js';
import { readFile } from 'node:fs/promises';

export type TextFileResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string; readonly code: string };

/**
 * Reads a text file, honouring a byte order mark: Windows PowerShell 5
 * writes UTF-16LE with a BOM (`echo secret > file`), Notepad may write a
 * UTF-8 BOM. Never throws; the reason names no file content.
 */
export async function readTextFile(path: string): Promise<TextFileResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, reason: describeFsError(error), code: errorCode(error) };
  }
  return { ok: true, text: decodeText(bytes) };
}

export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('utf8');
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'ENOENT':
      return t('config:fs.notFound');
    case 'EACCES':
    case 'EPERM':
      return t('config:fs.denied');
    case 'EISDIR':
      return t('config:fs.isFolder');
    case 'ENOTDIR':
      return t('config:fs.notFolder');
    default:
      return code !== '' ? code : t('config:fs.unreadable');
  }
}

export function isFileNotFound(result: TextFileResult): boolean {
  return !result.ok && result.code === 'ENOENT';
}
