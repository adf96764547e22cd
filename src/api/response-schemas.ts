import { z } from 'zod';
import { USER_ROLES } from '../snapshot/records.js';

// The answers the contract promises, checked before anything is believed.

export const healthAnswer = z.object({ status: z.literal('ok') });

export const loginAnswer = z.object({
  token: z.string().min(1),
  role: z.enum(USER_ROLES),
  must_change_password: z.boolean(),
});
export type LoginAnswer = z.infer<typeof loginAnswer>;

export const createUserAnswer = z.object({ ok: z.literal(true), username: z.string(), role: z.enum(USER_ROLES) });
export const upsertAnswer = z.object({ success: z.literal(true), device_id: z.string() });
export const statusAnswer = z.object({ success: z.literal(true), device_id: z.string(), status: z.enum(['active', 'blocked']) });
export const createdByAnswer = z.object({ success: z.literal(true), device_id: z.string(), created_by: z.string().nullable() });
export const deleteAnswer = z.object({ success: z.literal(true) });
export const errorAnswer = z.object({ error: z.string() });
