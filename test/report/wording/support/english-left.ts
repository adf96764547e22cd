// Finds English left in a text meant to be Portuguese. What stays as it is in
// every language is taken out first: flags with their values, the commands
// to run, quoted values; then words only an English sentence has are looked for.

const KEPT = [/sync-dbs sync\b/g, /(?:GET )?\/[\w/<>.-]+/g, /--[a-z-]+(?: (?:none|primary|peer|skip|one-way|two-way|[\d.,]+%?))?/g, /"[^"]*"/g];

const ENGLISH =
  /(?<![\p{L}\p{N}_])(the|of|and|on|is|was|were|has|have|not|but|it|its|only|since|missing|created|deleted|allowed|denies|differs|content|owner|restored|expired|wins|left|licenses?|run|runs|listing|would|could|cannot|there|by|with|from|to|too|more|fewer|allows|both|each|still|never|until|ends|none|unknown|changed|edited|unblocked|renewed|needs|hand|panel|exists|lost|that|which|this|at|so|be|are|over|requests?|writes|slowest|median|flight|once|create|update|block|activate|delete|blocked|pending|users)(?![\p{L}\p{N}_])/giu;

/** The English words of `text` (none for a Portuguese sentence). */
export function englishLeft(text: string): string[] {
  const rest = KEPT.reduce((current, pattern) => current.replace(pattern, ' '), text);
  return rest.match(ENGLISH) ?? [];
}

