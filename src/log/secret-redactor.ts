const REDACTED = '[redacted]';

/**
 * Remembers every secret the run handles (passwords, tokens) and blanks them
 * out of any text about to be written. A second line of defence: messages are
 * built without secrets in the first place.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  add(secret: string | null | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so that a secret containing another is blanked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }
}
