/**
 * The characters Python's `str.isspace()` holds true for: what the server's
 * `str.strip()` removes from both ends of every text it reads. JavaScript's
 * `trim()` differs: it removes U+FEFF (Python keeps it) and keeps U+001C to
 * U+001F and U+0085 (Python removes them), so a key trimmed by JavaScript can
 * name another license than the server's.
 */
export const SERVER_WHITESPACE: readonly string[] = [
  '\t', '\n', '\v', '\f', '\r',
  '\u001c', '\u001d', '\u001e', '\u001f',
  ' ', '\u0085', '\u00a0', '\u1680',
  '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a',
  '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
];

const WHITESPACE = new Set(SERVER_WHITESPACE);

/** `text.strip()` in Python: the text without the server's whitespace at either end. */
export function stripLikeServer(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.has(text[start] as string)) start++;
  while (end > start && WHITESPACE.has(text[end - 1] as string)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
