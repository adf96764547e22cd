import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { t } from '../i18n/i18n.js';

export const PASSWORD_FILE_NAME = 'new-user-passwords.txt';

/**
 * The file that hands new users' passwords to the operator: in the state
 * directory, created with mode 0600 (0700 for the directory) where the OS has
 * modes, appended to by every run. A password is written before the user is
 * created, so that an answer lost in transit never loses it.
 */
export class PasswordFile {
  readonly path: string;
  private opened = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(stateDir: string) {
    this.path = path.join(stateDir, PASSWORD_FILE_NAME);
  }

  record(server: string, username: string, password: string): Promise<void> {
    return this.append(`${new Date().toISOString()}\t${server}\t${username}\t${password}\n`);
  }

  /** Marks a password that was not used because the user could not be created. */
  recordUnused(server: string, username: string, reason: string): Promise<void> {
    return this.append(`${new Date().toISOString()}\t${server}\t${username}\t${t('execute:passwordFile.notCreated', { reason })}\n`);
  }

  private append(line: string): Promise<void> {
    const next = this.queue.then(async () => {
      if (!this.opened) {
        await mkdir(path.dirname(this.path), { recursive: true, mode: 0o700 });
        this.opened = true;
      }
      const handle = await open(this.path, 'a', 0o600);
      try {
        await handle.chmod(0o600).catch(() => undefined);
        await handle.appendFile(line, 'utf8');
      } finally {
        await handle.close();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
