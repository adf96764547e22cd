/**
 * One `GET /health` with a short timeout, as the watchdog of `sync-dbs serve`
 * sees it: answered (with the time it took), or why not.
 *
 * - `asleep`: a hosting proxy's own answer (502/503/504, an HTML page) or no
 *   answer within the timeout: the free tier is waking the server up.
 * - `down`: nothing listens (connection refused or reset, no such host).
 * - `error`: something answered, but not the license API's `{"status":"ok"}`
 *   (another status, another body, a TLS failure).
 */
export type HealthProbe =
  | { readonly ok: true; readonly latencyMs: number }
  | { readonly ok: false; readonly latencyMs: number; readonly failure: HealthFailure; readonly detail: string };

export type HealthFailure = 'asleep' | 'down' | 'error';
