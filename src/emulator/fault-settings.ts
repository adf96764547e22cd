import { z } from 'zod';

// What the emulator can be told to do wrong, at start (`--faults`) or while it
// runs (`PUT /_emulator/faults`). Every part is optional; `{}` is a healthy server.

export const FAILURE_KINDS = ['500', '502', '503', '504', 'reset'] as const;
export const MALFORMED_LISTING_MODES = ['truncated', 'html', 'bad-records', 'duplicate-ids', 'partial'] as const;

export const faultSettingsSchema = z.strictObject({
  /** Seeds the random choices (jitter, which requests fail) so that a run can be repeated. */
  seed: z.number().int().default(1),
  /** Added to every API request: `fixedMs` plus a uniform random share of `jitterMs`. */
  latency: z.strictObject({ fixedMs: z.number().min(0).default(0), jitterMs: z.number().min(0).default(0) }).optional(),
  /** A share of requests fails with an HTML error page or a connection reset. */
  failures: z
    .strictObject({
      rate: z.number().min(0).max(1),
      kinds: z.array(z.enum(FAILURE_KINDS)).min(1).default(['500', '502', '503', 'reset']),
      /** Which requests may fail: all, only writes (non-GET) or only reads (GET). */
      scope: z.enum(['all', 'writes', 'reads']).default('all'),
      /** The share of failures that happen after the server has done the work (the answer is lost on the way back). */
      afterHandlerShare: z.number().min(0).max(1).default(0),
      /**
       * At most this many failures in a row for the same request (method, path
       * and body): the next attempt goes through, as through a flaky proxy
       * rather than a dead one. Unlimited when absent.
       */
      maxInARow: z.number().int().min(1).optional(),
    })
    .optional(),
  /** After `idleMs` without requests the server sleeps; waking takes `wakeMs`, during which requests wait (`delay`) or get a 503 page (`error`). */
  coldStart: z
    .strictObject({
      idleMs: z.number().min(0),
      wakeMs: z.number().min(0),
      mode: z.enum(['delay', 'error']).default('delay'),
      /** Start asleep now, instead of after the first idle period: the wake-up (`wakeMs`) starts at the next request. */
      asleepNow: z.boolean().default(false),
    })
    .optional(),
  /**
   * A server that serves at most `requestsPerSecond` API requests a second:
   * the others wait their turn in a queue (before the latency), so that
   * latency grows with the load as on a saturated server.
   */
  capacity: z.strictObject({ requestsPerSecond: z.number().positive() }).optional(),
  /** At most `requests` per fixed window of `windowMs`; the rest get 429 with `Retry-After`. */
  rateLimit: z.strictObject({ requests: z.number().int().positive(), windowMs: z.number().int().positive() }).optional(),
  /** Rotates the signing secret once, after this many more API requests (0: at the next one). */
  revokeTokens: z.strictObject({ afterRequests: z.number().int().min(0) }).optional(),
  /** Listings that come back damaged. */
  malformedListing: z
    .strictObject({
      mode: z.enum(MALFORMED_LISTING_MODES),
      endpoints: z.array(z.enum(['devices', 'users'])).min(1).default(['devices']),
      /** How many listings to damage before healing; unlimited when absent. */
      times: z.number().int().positive().optional(),
      /** For `partial`: the share of rows kept. */
      keepFraction: z.number().min(0).max(1).default(0.1),
    })
    .optional(),
  /** The origin is down: every request gets the tunnel's HTML error page. */
  down: z.boolean().default(false),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;
export type FaultSettingsInput = z.input<typeof faultSettingsSchema>;
export type FailureKind = (typeof FAILURE_KINDS)[number];
export type MalformedListingMode = (typeof MALFORMED_LISTING_MODES)[number];

export class FaultSettingsError extends Error {
  override name = 'FaultSettingsError';
}

export function parseFaultSettings(value: unknown): FaultSettings {
  const result = faultSettingsSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new FaultSettingsError(`invalid fault settings: ${problems}`);
}
