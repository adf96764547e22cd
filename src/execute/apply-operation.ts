import { isNotFound, serverErrorOf, type LicenseServer, type ServerError } from '../api/license-server.js';
import type { LogSink } from '../log/log-sink.js';
import type { CreateLicense, CreateUser, Operation } from '../plan/operation.js';
import type { ThenBlock } from '../plan/reasons.js';
import { newUserPassword } from './new-user-password.js';
import type { PasswordFile } from './password-file.js';
import { t } from '../i18n/i18n.js';

export interface ApplierParts {
  /** The server the operations go to. */
  readonly server: LicenseServer;
  readonly passwords: PasswordFile;
  readonly log: LogSink;
  /** Why a created license is blocked right after, in words for its note (the report's wording, passed down). */
  readonly thenBlockText: (thenBlock: ThenBlock) => string;
}

/** Maps each planned operation onto one server's API calls. Business rules stay in the planner. */
export function operationApplier({ server: backup, passwords, log, thenBlockText }: ApplierParts): (operation: Operation) => Promise<string | null> {
  return async (operation: Operation) => {
    switch (operation.kind) {
      case 'create-user':
        return createUser(operation, backup, passwords);
      case 'create-license':
        return createLicense(operation, backup, log, thenBlockText);
      case 'update-license':
        await backup.upsertLicense(operation.body);
        return null;
      case 'update-created-by':
        await backup.updateCreatedBy(operation.deviceId, operation.createdBy);
        return null;
      case 'block':
        await backup.setStatus(operation.deviceId, 'block');
        return null;
      case 'activate':
        await backup.setStatus(operation.deviceId, 'activate');
        return null;
      case 'delete-license':
        try {
          await backup.deleteLicense(operation.deviceId);
          return null;
        } catch (error) {
          // Gone is what we wanted: an earlier attempt whose answer was lost, or someone else.
          if (isNotFound(error)) return t('execute:note.alreadyAbsent');
          throw error;
        }
    }
  };
}

async function createUser(operation: CreateUser, backup: LicenseServer, passwords: PasswordFile): Promise<string | null> {
  const password = newUserPassword();
  await passwords.record(backup.server, operation.username, password);
  try {
    await backup.createUser({ username: operation.username, password, email: operation.email, role: operation.role });
    return null;
  } catch (error) {
    // A duplicate is a 400 like any other invalid body. After an attempt whose
    // answer was lost, look before concluding that the user was not created.
    const failure = serverErrorOf(error);
    if (failure?.kind === 'rejected' && failure.mayHaveBeenApplied) {
      const listed = await backup.listUsers().catch(() => []);
      if (listed.some((user) => typeof user === 'object' && user !== null && (user as { username?: unknown }).username === operation.username)) {
        return t('execute:note.createdEarlier');
      }
    }
    if (failure?.mayHaveBeenApplied !== true) {
      await passwords.recordUnused(backup.server, operation.username, failure?.reason ?? t('execute:error'));
    }
    throw error;
  }
}

/**
 * Upsert, then block at once when the primary denies. If the block cannot be
 * applied the license is deleted again (it did not exist before this run), so
 * that the backup never lets in a client the primary refuses.
 */
async function createLicense(operation: CreateLicense, backup: LicenseServer, log: LogSink, thenBlockText: ApplierParts['thenBlockText']): Promise<string | null> {
  try {
    await backup.upsertLicense(operation.body);
  } catch (createError) {
    // Every answer was lost, but an attempt may have created the license: one the primary denies must not stay open.
    const failure = serverErrorOf(createError);
    if (operation.thenBlock !== null && failure?.mayHaveBeenApplied === true) {
      const closed = await closeUncertainCreation(operation.body.device_id, thenBlockText(operation.thenBlock), backup, log, failure);
      if (closed !== null) return closed;
    }
    throw createError;
  }
  if (operation.thenBlock === null) return null;
  try {
    await backup.setStatus(operation.body.device_id, 'block');
    return t('execute:note.blockedAfterCreation', { why: thenBlockText(operation.thenBlock) });
  } catch (blockError) {
    log.warn(t('execute:warn.blockFailedDeleting', { server: backup.server, deviceId: operation.body.device_id }));
    try {
      await backup.deleteLicense(operation.body.device_id);
    } catch (deleteError) {
      throw new CompensationError(backup.server, operation.body.device_id, blockError, deleteError);
    }
    throw new CompensationError(backup.server, operation.body.device_id, blockError, null);
  }
}

/**
 * After a create whose every answer was lost: block the license if it exists
 * (the create was applied after all, and the operation is then done), or
 * delete it if even that is uncertain. Null when the license was not created.
 */
async function closeUncertainCreation(deviceId: string, why: string, backup: LicenseServer, log: LogSink, createError: ServerError): Promise<string | null> {
  try {
    await backup.setStatus(deviceId, 'block');
    return t('execute:note.createdUncertainThenBlocked', { reason: createError.reason, why });
  } catch (blockError) {
    if (isNotFound(blockError)) return null;
    log.warn(t('execute:warn.uncertainDeleting', { server: backup.server, deviceId }));
    try {
      await backup.deleteLicense(deviceId);
    } catch (deleteError) {
      if (isNotFound(deleteError)) return null;
      throw new CompensationError(backup.server, deviceId, blockError, deleteError);
    }
    throw new CompensationError(backup.server, deviceId, blockError, null);
  }
}

/** A created license that could not be blocked: either removed again, or (worse) left allowed. */
export class CompensationError extends Error {
  override name = 'CompensationError';
  constructor(
    readonly server: string,
    readonly deviceId: string,
    readonly blockError: unknown,
    readonly deleteError: unknown,
  ) {
    super(
      deleteError === null
        ? t('execute:compensation.deleted', { blockReason: reasonOf(blockError) })
        : t('execute:compensation.leftAllowed', { blockReason: reasonOf(blockError), deleteReason: reasonOf(deleteError), server }),
    );
  }
}

function reasonOf(error: unknown): string {
  return serverErrorOf(error)?.reason ?? t('execute:unexpectedError');
}
