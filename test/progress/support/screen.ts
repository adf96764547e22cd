const ESC = '\u001b';
/** An escape sequence, a line end, or text. */
const TOKEN = new RegExp(`${ESC}\\[\\?\\d+[hl]|${ESC}\\[\\d*[A-Za-z]|\\r|\\n|[^${ESC}\\r\\n]+`, 'g');
const ESCAPE = new RegExp(`^${ESC}\\[(\\??)(\\d*)([A-Za-z])$`);

/**
 * A tiny terminal for tests: it understands what log-update writes (erase
 * line, cursor up, cursor to column 1, synchronized output marks) and keeps
 * the lines on screen, so that a test can check what the operator would see.
 */
export class Screen {
  readonly columns = 80;
  readonly rows = 24;
  /** Everything written, as written. */
  raw = '';
  private readonly lines: string[] = [''];
  private row = 0;
  private column = 0;

  write(text: string): boolean {
    this.raw += text;
    const tokens = text.match(TOKEN) ?? [];
    for (const token of tokens) this.apply(token);
    return true;
  }

  /** The lines on screen, trailing empty ones dropped. */
  shown(): string[] {
    const lines = [...this.lines];
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  private apply(token: string): void {
    if (token === '\n') {
      this.row += 1;
      this.column = 0;
      if (this.lines.length <= this.row) this.lines.push('');
      return;
    }
    if (token === '\r') {
      this.column = 0;
      return;
    }
    const escape = ESCAPE.exec(token);
    if (escape === null) {
      const line = this.lines[this.row] ?? '';
      this.lines[this.row] = line.slice(0, this.column).padEnd(this.column) + token + line.slice(this.column + token.length);
      this.column += token.length;
      return;
    }
    const [, mode, count, code] = escape;
    if (mode === '?') return;
    const n = count === '' ? 1 : Number(count);
    if (code === 'A') this.row = Math.max(0, this.row - n);
    else if (code === 'B') this.row = Math.min(this.lines.length - 1, this.row + n);
    else if (code === 'G') this.column = 0;
    else if (code === 'K') this.lines[this.row] = count === '2' ? '' : (this.lines[this.row] ?? '').slice(0, this.column);
    else if (code !== 'm') throw new Error(`the test screen does not know ESC[${count}${code}`);
  }
}
