/**
 * Asks for a password on a terminal without echoing it: raw mode, Enter
 * ends, Backspace edits, Ctrl-U clears, Ctrl-C and Ctrl-D cancel. Escape
 * sequences (arrow keys and the like) and other control characters are
 * ignored. The question goes to `output` (the CLI passes process.stderr so
 * that stdout stays clean), followed by a newline when entry ends.
 */
import { t } from '../i18n/i18n.js';
import { StringDecoder } from 'node:string_decoder';

const ENTER = new Set(['\r', '\n']);
const CANCEL = new Set(['\u0003', '\u0004']);
const BACKSPACE = new Set(['\u007f', '\b']);
const CLEAR_LINE = '\u0015';
const ESCAPE = '\u001b';

type EscapeState = 'none' | 'escape' | 'csi' | 'ss3';

export function promptPassword(question: string, input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (typeof input.setRawMode !== 'function') {
      reject(new Error(t('config:password.needsTerminal')));
      return;
    }
    const wasRaw = input.isRaw === true;
    const decoder = new StringDecoder('utf8');
    let typed: string[] = [];
    let escape: EscapeState = 'none';
    let done = false;

    const finish = (error: Error | null): void => {
      if (done) return;
      done = true;
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      try {
        input.setRawMode(wasRaw);
      } catch {
        // The terminal is gone; nothing to restore.
      }
      input.pause();
      output.write('\n');
      if (error === null) resolve(typed.join(''));
      else reject(error);
    };

    const onChar = (char: string): void => {
      if (escape === 'escape') {
        escape = char === '[' ? 'csi' : char === 'O' ? 'ss3' : 'none';
        return;
      }
      if (escape === 'csi') {
        // Parameters and intermediates run until a final byte in @..~.
        if (char >= '@' && char <= '~') escape = 'none';
        return;
      }
      if (escape === 'ss3') {
        escape = 'none';
        return;
      }
      if (ENTER.has(char)) finish(null);
      else if (CANCEL.has(char)) finish(new PasswordEntryCancelled());
      else if (BACKSPACE.has(char)) typed = typed.slice(0, -1);
      else if (char === CLEAR_LINE) typed = [];
      else if (char === ESCAPE) escape = 'escape';
      else if (char >= ' ') typed.push(char);
    };

    function onData(chunk: Buffer | string): void {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const char of text) {
        if (done) return;
        onChar(char);
      }
    }
    function onEnd(): void {
      finish(new PasswordEntryCancelled());
    }
    function onError(error: Error): void {
      finish(error);
    }

    // Echo goes off before the question shows, so that nothing typed in answer to it is echoed.
    try {
      input.setRawMode(true);
    } catch (error) {
      done = true;
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    output.write(question);
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

/** The operator cancelled the password prompt (Ctrl-C, Ctrl-D, or the input ended). */
export class PasswordEntryCancelled extends Error {
  override name = 'PasswordEntryCancelled';
  constructor() {
    super(t('config:password.cancelled'));
  }
}
