import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { PasswordEntryCancelled, promptPassword } from '../../src/config/password-prompt.js';

/** A PassThrough standing in for a terminal: raw mode is a spy. */
class FakeTty extends PassThrough {
  isTTY = true;
  isRaw: boolean;
  readonly setRawMode = vi.fn((mode: boolean) => {
    this.isRaw = mode;
    return this;
  });
  constructor(initiallyRaw = false) {
    super();
    this.isRaw = initiallyRaw;
  }
}

function terminal(initiallyRaw = false) {
  const input = new FakeTty(initiallyRaw);
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  return {
    input,
    output,
    written: () => written,
    ask: () => promptPassword('Password for alice at https://p.example: ', input as unknown as NodeJS.ReadStream, output),
  };
}

describe('promptPassword', () => {
  it('asks, reads in raw mode without echoing, and ends on Enter', async () => {
    const tty = terminal();
    const answer = tty.ask();
    expect(tty.input.setRawMode).toHaveBeenCalledWith(true);
    expect(tty.input.isRaw).toBe(true);
    tty.input.write('hunter');
    tty.input.write('2\r');
    await expect(answer).resolves.toBe('hunter2');
    expect(tty.written()).toBe('Password for alice at https://p.example: \n');
    expect(tty.input.setRawMode.mock.calls).toEqual([[true], [false]]);
    expect(tty.input.isRaw).toBe(false);
  });

  it('accepts a line feed as Enter and ignores what follows it', async () => {
    const tty = terminal();
    const answer = tty.ask();
    tty.input.write('abc\nxyz');
    await expect(answer).resolves.toBe('abc');
    expect(tty.written()).toBe('Password for alice at https://p.example: \n');
  });

  it('lets Backspace (DEL or BS) remove the last character, even on an empty line', async () => {
    const tty = terminal();
    const answer = tty.ask();
    tty.input.write('\u007fpasz\u007fs\bsword\r');
    await expect(answer).resolves.toBe('password');
    expect(tty.written()).toBe('Password for alice at https://p.example: \n');
  });

  it('removes a whole character, not half of one, and reads characters split across chunks', async () => {
    const tty = terminal();
    const answer = tty.ask();
    const bytes = Buffer.from('é😀ü');
    tty.input.write(bytes.subarray(0, 1));
    tty.input.write(bytes.subarray(1, 4));
    tty.input.write(bytes.subarray(4));
    tty.input.write('\u007f\r');
    await expect(answer).resolves.toBe('é😀');
  });

  it('clears the line on Ctrl-U and ignores arrow keys and other control characters', async () => {
    const tty = terminal();
    const answer = tty.ask();
    tty.input.write('wrong\u0015ri\u001b[Dg\u001bOAh\u001b[1;5Ct\t\u0007\r');
    await expect(answer).resolves.toBe('right');
  });

  it.each([
    ['Ctrl-C', '\u0003'],
    ['Ctrl-D', '\u0004'],
  ])('is cancelled by %s, restoring the terminal', async (_name, key) => {
    const tty = terminal();
    const answer = tty.ask();
    tty.input.write(`secret${key}more\r`);
    await expect(answer).rejects.toBeInstanceOf(PasswordEntryCancelled);
    expect(tty.input.isRaw).toBe(false);
    expect(tty.written()).toBe('Password for alice at https://p.example: \n');
    expect(tty.input.listenerCount('data')).toBe(0);
  });

  it('is cancelled when the input ends before Enter', async () => {
    const tty = terminal();
    const answer = tty.ask();
    tty.input.end('partial');
    await expect(answer).rejects.toBeInstanceOf(PasswordEntryCancelled);
    expect(tty.input.isRaw).toBe(false);
  });

  it('stops listening and pauses the input once done', async () => {
    const tty = terminal();
    const answer = tty.ask();
    tty.input.write('x\r');
    await answer;
    expect(tty.input.listenerCount('data')).toBe(0);
    expect(tty.input.listenerCount('end')).toBe(0);
    expect(tty.input.isPaused()).toBe(true);
  });

  it('restores raw mode when the terminal was already raw', async () => {
    const tty = terminal(true);
    const answer = tty.ask();
    tty.input.write('x\r');
    await answer;
    expect(tty.input.setRawMode.mock.calls).toEqual([[true], [true]]);
  });

  it('refuses an input that is not a terminal', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    await expect(promptPassword('Password: ', input as unknown as NodeJS.ReadStream, output)).rejects.toThrow('password entry needs a terminal');
  });
});
