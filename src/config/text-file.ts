import { readFile } from 'node:fs/promises';

export type TextFileResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

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
    return { ok: false, reason: describeFsError(error) };
  }
  return { ok: true, text: decodeText(bytes) };
}

export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('utf8');
}

export function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return code !== '' ? code : 'cannot be read';
  }
}

export function isFileNotFound(result: TextFileResult): boolean {
  return !result.ok && result.reason === 'file not found';
}
