// Assertions on raw API answers, shared by the contract and fault tests.
import { expect } from 'vitest';
import type { RawResponse } from './raw-http.js';

/** A page from a proxy or from Werkzeug: the given status, `text/html`, and a body that is not JSON. */
export function expectHtmlPage(res: RawResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.text).toMatch(/<html/i);
  expect(res.json).toBeUndefined();
  expect(() => JSON.parse(res.text) as unknown).toThrow(SyntaxError);
}

/** A normal JSON answer of the API. */
export function expectJson(res: RawResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.json).toBeDefined();
}

/** Asserts a JSON error answer: the status and a body that is exactly `{"error": <message>}`. */
export function expectJsonError(res: RawResponse, status: number, message?: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(res.json as object)).toEqual(['error']);
  const error = (res.json as { error: unknown }).error;
  expect(typeof error).toBe('string');
  expect(error).not.toBe('');
  if (message !== undefined) expect(error).toBe(message);
}
