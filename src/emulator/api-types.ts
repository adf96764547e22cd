import type { IncomingHttpHeaders } from 'node:http';
import type { HtmlPage } from './html-pages.js';

export interface ApiRequest {
  readonly method: string;
  /** The percent-decoded path, without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; `{}` when there was none or it was not a JSON object (Flask's `get_json(silent=True) or {}`). */
  readonly body: Record<string, unknown>;
  readonly remoteAddress: string | null;
}

export type ListingEndpoint = 'devices' | 'users';

export type ApiResponse =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'listing'; readonly endpoint: ListingEndpoint; readonly items: readonly object[] }
  | { readonly kind: 'html'; readonly page: HtmlPage; readonly headers?: Readonly<Record<string, string>> };

export function json(status: number, body: unknown): ApiResponse {
  return { kind: 'json', status, body };
}

export function apiError(status: number, message: string): ApiResponse {
  return json(status, { error: message });
}

export function html(page: HtmlPage, headers?: Readonly<Record<string, string>>): ApiResponse {
  return headers ? { kind: 'html', page, headers } : { kind: 'html', page };
}
