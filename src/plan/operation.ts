import type { UpsertBody } from '../domain/upsert-body.js';
import type { UserRole } from '../snapshot/records.js';
import type { OperationReason, ThenBlock } from './reasons.js';

interface OperationBase {
  /** The server the write goes to, by its configured name (`backup`, `primary`, `render`...). */
  readonly server: string;
  /** Operations with one key run in order; different keys run concurrently. */
  readonly key: string;
  /** Why the planner wants this write: a code and its facts (src/report/ words it). */
  readonly reason: OperationReason;
}

export interface CreateUser extends OperationBase {
  readonly kind: 'create-user';
  readonly username: string;
  readonly email: string | null;
  readonly role: UserRole;
}

/** Upsert of a license the backup lacks; when the primary denies it, a block follows at once. */
export interface CreateLicense extends OperationBase {
  readonly kind: 'create-license';
  readonly body: UpsertBody;
  /** Set when the primary denies: the license is blocked right after, or removed again if that fails. */
  readonly thenBlock: ThenBlock | null;
}

/** Upsert over an existing license: rewrites content and owner, re-activates and re-dates it. */
export interface UpdateLicense extends OperationBase {
  readonly kind: 'update-license';
  readonly body: UpsertBody;
}

export interface UpdateCreatedBy extends OperationBase {
  readonly kind: 'update-created-by';
  readonly deviceId: string;
  readonly createdBy: string;
}

export interface BlockLicense extends OperationBase {
  readonly kind: 'block';
  readonly deviceId: string;
}

export interface ActivateLicense extends OperationBase {
  readonly kind: 'activate';
  readonly deviceId: string;
}

export interface DeleteLicense extends OperationBase {
  readonly kind: 'delete-license';
  readonly deviceId: string;
}

export type Operation = CreateUser | CreateLicense | UpdateLicense | UpdateCreatedBy | BlockLicense | ActivateLicense | DeleteLicense;
export type OperationKind = Operation['kind'];

/** An operation before the planner says which server it goes to. */
export type OperationDraft = Operation extends infer O ? (O extends Operation ? Omit<O, 'server'> : never) : never;

export const OPERATION_KINDS: readonly OperationKind[] = [
  'create-user',
  'create-license',
  'update-license',
  'update-created-by',
  'block',
  'activate',
  'delete-license',
];

export function userKey(username: string): string {
  return `user:${username}`;
}

export function licenseKey(deviceId: string): string {
  return `license:${deviceId}`;
}

/** Whether the operation takes access away from a client (a block, or a deletion): worth sending before anything else. */
export function closesAccess(operation: Operation): boolean {
  return operation.kind === 'block' || operation.kind === 'delete-license';
}
