// Text from the servers (keys, reasons, details) goes to a terminal or a log:
// one item must stay on one line, and no byte may drive the terminal.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with line breaks and control characters shown as escapes (`\n`, `\u001b`). */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
