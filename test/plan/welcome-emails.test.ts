import { describe, expect, it } from 'vitest';
import { mayEmailCustomer, welcomeEmailsByServer } from '../../src/plan/welcome-emails.js';
import { licenseKey, type Operation } from '../../src/plan/operation.js';
import { ONE_WAY } from '../../src/plan/reasons.js';
import type { UpsertBody } from '../../src/domain/upsert-body.js';

// Every create/upsert with a non-empty e-mail may make its server e-mail the
// customer (the contract); nothing else does.

function body(deviceId: string, email: string | null): UpsertBody {
  return { device_id: deviceId, license_type: 'anual', owner_name: 'Ana', cpf: null, email, address: null, created_by: 'admin' };
}

function create(server: string, deviceId: string, email: string | null): Operation {
  return { server, kind: 'create-license', key: licenseKey(deviceId), body: body(deviceId, email), thenBlock: null, reason: { code: 'missing', sides: ONE_WAY } };
}

function upsert(server: string, deviceId: string, email: string | null): Operation {
  return { server, kind: 'update-license', key: licenseKey(deviceId), body: body(deviceId, email), reason: { code: 'content-differs', sides: ONE_WAY, fields: ['email'], expired: null } };
}

describe('welcome e-mails', () => {
  it('counts creates and upserts with an e-mail, per server in first-seen order', () => {
    const operations: Operation[] = [
      create('render', 'A', 'a@example.com'),
      create('render', 'B', null),
      create('render', 'C', '   '),
      upsert('koyeb', 'D', 'd@example.com'),
      create('koyeb', 'E', 'e@example.com'),
      { server: 'koyeb', kind: 'block', key: licenseKey('F'), deviceId: 'F', reason: { code: 'denied-on-source', sides: ONE_WAY, source: 'deny:blocked', target: 'allow' } },
      { server: 'render', kind: 'create-user', key: 'user:bob', username: 'bob', email: 'bob@example.com', role: 'user', reason: { code: 'missing', sides: ONE_WAY } },
    ];
    expect([...welcomeEmailsByServer(operations)]).toEqual([
      ['render', 1],
      ['koyeb', 2],
    ]);
    expect(operations.map(mayEmailCustomer)).toEqual([true, false, false, true, true, false, false]);
    expect(welcomeEmailsByServer([]).size).toBe(0);
  });
});
