/**
 * Reads the text of a .env file the way dotenv 17 does (same line grammar:
 * `export`, single, double and backtick quotes, multi-line quoted values,
 * `\n` in double quotes), with one difference: in an unquoted value `#`
 * starts a comment only after whitespace. dotenv cuts `PASSWORD=abc#123` to
 * `abc`, a password that then fails every login; here it stays `abc#123`, as
 * systemd's EnvironmentFile= reads it too. `KEY=value # note` is still a
 * comment, as in dotenv.
 */

// dotenv's LINE pattern, but for the unquoted value: `#` belongs to it unless whitespace comes before.
const LINE =
  /^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|(?:[^#\r\n]|(?<!\s)#)+)?\s*(?:#.*)?$/gm;

export function parseEnvText(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.replace(/\r\n?/g, '\n');
  for (const match of lines.matchAll(LINE)) {
    const key = match[1] as string;
    let value = (match[2] ?? '').trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    values[key] = value;
  }
  return values;
}
