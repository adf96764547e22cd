// Finds English sentences in what the CLI printed in Portuguese: a line is
// English when it holds two or more distinct words from a list of common
// English words that Portuguese does not use, or, short, is mostly made of
// them. Identifiers that stay as they
// are inside Portuguese text (flags, environment variables, URLs, paths,
// device ids, codes such as in-sync, server names) and quoted or JSON data
// are not read as words.

/**
 * Common English words, and the English words of this tool's own texts,
 * that are not also Portuguese words (so no "a", "as", "do", "no", "for",
 * "se", "total") nor names that stay in English inside Portuguese text
 * (command names such as sync, plan, status, history; server names such as
 * primary, backup; "admin", "login", "e-mail").
 */
export const ENGLISH_WORDS: ReadonlySet<string> = new Set([
  'the', 'was', 'were', 'is', 'are', 'be', 'been', 'being', 'could', 'not', 'with', 'without', 'from', 'this', 'that', 'these', 'those',
  'which', 'will', 'would', 'has', 'have', 'had', 'it', 'its', 'of', 'and', 'or', 'to', 'in', 'on', 'at', 'by', 'an', 'all', 'any',
  'each', 'every', 'nothing', 'none', 'after', 'before', 'since', 'until', 'because', 'than', 'then', 'when', 'while', 'where', 'what',
  'who', 'only', 'also', 'into', 'out', 'up', 'did', 'does', 'can', 'cannot', 'should', 'must', 'may', 'about', 'again', 'still', 'there',
  'their', 'they', 'them', 'here', 'how', 'why', 'yet', 'but', 'if', 'one', 'two', 'more', 'most', 'less', 'same', 'other', 'new',
  'last', 'next', 'first', 'left', 'ago', 'took', 'done', 'sent', 'written', 'write', 'writes', 'wrote', 'read', 'reads', 'run', 'runs',
  'failed', 'failure', 'failures', 'succeeded', 'success', 'server', 'servers', 'license', 'licenses', 'user', 'users',
  'reseller', 'resellers', 'password', 'passwords', 'account', 'asks', 'change', 'changes', 'changed', 'differs', 'differ', 'missing',
  'blocked', 'created', 'updated', 'deleted', 'activated', 'applied', 'verified', 'expected', 'healthy', 'unreachable', 'waiting', 'wait',
  'seconds', 'minutes', 'hours', 'days', 'requests', 'answer', 'answered', 'connection', 'refused', 'logged', 'role', 'operations', 'operation',
  'pending', 'deletions', 'deletion', 'carried', 'restored', 'result', 'warning', 'drift', 'repair', 'skipped', 'purpose', 'verify', 'check',
  'retry', 'retries', 'started', 'finished', 'stale', 'consecutive', 'outcome', 'state', 'database', 'file', 'folder', 'give', 'given',
  'used', 'see', 'pass', "doesn't", "don't", "can't", "isn't", "wasn't", "won't", 'wake', 'awake', 'asleep', 'sleeping', 'lock', 'held', 'found', 'unknown', 'guard', 'refuses',
  'attempt', 'attempts', 'retrying', 'page', 'day', 'both', 'sides', 'either', 'listing', 'lists', 'clients',
]);

export interface EnglishLine {
  readonly line: string;
  /** The English words it holds, in order of appearance. */
  readonly words: readonly string[];
}

export interface EnglishLineOptions {
  /** Names that stay as they are (server names, usernames): never read as words. */
  readonly names?: readonly string[];
}

/** A token that is an identifier, not a word: a flag, an env name, a URL, a path, a code, a number, an id. */
function isIdentifier(token: string): boolean {
  return (
    /^--?[a-z]/i.test(token) || // --flag, -h
    /^[A-Z][A-Z0-9]*_[A-Z0-9_]+/.test(token) || // SYNC_DBS_LANG
    /^[A-Z]{2,}[0-9]*$/.test(token.replace(/[^\w]/g, '')) || // ECONNREFUSED, HTTP, GET
    token.includes('://') ||
    /[/\\@=#<>{}[\]|]/.test(token) || // paths, endpoints, e-mails, key=value, placeholders, table rules
    /\w[-_.:]\w/.test(token) || // in-sync, user-email, new-user-passwords.txt, license:L-1, 13:59:02
    /\d/.test(token) // counts, times, device ids, run numbers
  );
}

/** The line with its data removed: JSON, double-quoted values (single quotes are English apostrophes too). */
function withoutData(line: string): string {
  const trimmed = line.trim();
  // A JSON document, or a line of a pretty-printed one ("key": value).
  if (/^(\{\s*"|\[\s*[{"\]])/.test(trimmed) || /^"[\w-]+"\s*:/.test(trimmed)) return '';
  return line.replace(/"[^"]*"/g, ' ');
}

/** The words of `line`, lower-cased, identifiers, data and `names` left out. */
function wordsOf(line: string, options: EnglishLineOptions): string[] {
  const names = new Set((options.names ?? []).map((name) => name.toLowerCase()));
  const words: string[] = [];
  for (const token of withoutData(line).split(/\s+/)) {
    if (token === '' || isIdentifier(token)) continue;
    // Split on what is not a letter (any alphabet: "até" must not yield "at").
    for (const word of token.toLowerCase().split(/[^\p{L}']+/u)) {
      const bare = word.replace(/^'+|'+$/g, '').replace(/'s$/, '');
      if (bare.length >= 2 && !names.has(bare)) words.push(bare);
    }
  }
  return words;
}

/** The words of `line` that are common English words (each once, in order). */
export function englishWordsIn(line: string, options: EnglishLineOptions = {}): string[] {
  return [...new Set(wordsOf(line, options).filter((word) => ENGLISH_WORDS.has(word)))];
}

/**
 * Whether `line` is English: two or more distinct common English words, or
 * one that makes up at least half of its words (a short line: "Took 0.1 s.",
 * "Read:", "create licenses (1)").
 */
export function isEnglishLine(line: string, options: EnglishLineOptions = {}): boolean {
  const english = englishWordsIn(line, options);
  return english.length >= 2 || (english.length === 1 && english.length * 2 >= wordsOf(line, options).length);
}

/** The English lines of `text` (see `isEnglishLine`), with the English words of each. */
export function englishLines(text: string, options: EnglishLineOptions = {}): EnglishLine[] {
  return text
    .split(/\r?\n/)
    .filter((line) => isEnglishLine(line, options))
    .map((line) => ({ line, words: englishWordsIn(line, options) }));
}
