import { printable } from '../printable.js';

// Everything shown in the HTML report comes from the servers or the state
// store (device ids, verdicts, details): none of it may become markup.

const SPECIAL: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The text safe to put in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => SPECIAL[char] ?? char);
}

/** One item on one line: line breaks and control characters shown as escapes, then escaped. */
export function htmlLine(text: string): string {
  return escapeHtml(printable(text));
}

// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A block for a `<pre>`: line breaks and tabs kept, other control characters shown as escapes, then escaped. */
export function htmlBlock(text: string): string {
  const shown = text
    .replace(/\r\n/g, '\n')
    .replace(CONTROL_BUT_LAYOUT, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escapeHtml(shown);
}
