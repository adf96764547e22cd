import { describe, expect, it } from 'vitest';
import { LICENSE_TYPES } from '../../../src/domain/license-type.js';
import { isValidCpf } from '../../../src/emulator/dataset/cpf.js';
import { parseDataset } from '../../../src/emulator/dataset/dataset-file.js';
import { generateDataset, MAX_LICENSES } from '../../../src/emulator/dataset/generator.js';

const TODAY = '2026-03-15';

describe('generateDataset', () => {
  it('is deterministic by seed, size and day', () => {
    const spec = { seed: 42, licenses: 300, today: TODAY };
    expect(generateDataset(spec)).toEqual(generateDataset(spec));
    expect(generateDataset({ ...spec, seed: 43 }).devices[20]).not.toEqual(generateDataset(spec).devices[20]);
  });

  it('produces the requested sizes and a dataset the emulator accepts', () => {
    const dataset = generateDataset({ seed: 1, licenses: 250, users: 17, today: TODAY });
    expect(dataset.devices).toHaveLength(250);
    expect(dataset.users).toHaveLength(17);
    expect(() => parseDataset(dataset, 'generated')).not.toThrow();
    expect(dataset.admin_users).toEqual([expect.objectContaining({ username: 'admin', must_change_password: true })]);
  });

  it('defaults to one reseller per ten licenses, at least 3 and at most 1,000', () => {
    expect(generateDataset({ seed: 1, licenses: 10, today: TODAY }).users).toHaveLength(3);
    expect(generateDataset({ seed: 1, licenses: 500, today: TODAY }).users).toHaveLength(50);
  });

  it('refuses sizes outside 0..1,000,000', () => {
    expect(() => generateDataset({ seed: 1, licenses: -1, today: TODAY })).toThrow(RangeError);
    expect(() => generateDataset({ seed: 1, licenses: MAX_LICENSES + 1, today: TODAY })).toThrow(RangeError);
    expect(() => generateDataset({ seed: 1, licenses: 1.5, today: TODAY })).toThrow(RangeError);
  });

  describe('even the smallest dataset (10 licenses) covers every case the sync rules care about', () => {
    const dataset = generateDataset({ seed: 7, licenses: 10, today: TODAY });
    const devices = dataset.devices;

    it('all six license types and all three statuses', () => {
      expect(new Set(devices.map((d) => d.license_type))).toEqual(new Set(LICENSE_TYPES));
      expect(new Set(devices.map((d) => d.status))).toEqual(new Set(['active', 'blocked', 'pending']));
    });

    it('expired and long-running licenses', () => {
      const expired = devices.filter((d) => d.end_date !== null && d.end_date < TODAY);
      const longRunning = devices.filter((d) => d.end_date === null || d.end_date > '2027-03-15');
      expect(expired.length).toBeGreaterThan(0);
      expect(longRunning.length).toBeGreaterThan(0);
      expect(devices.some((d) => d.license_type === 'vitalicia' && d.end_date === null)).toBe(true);
    });

    it('owners that are resellers, admin, and null (old rows)', () => {
      const usernames = new Set(dataset.users.map((u) => u.username));
      expect(devices.some((d) => d.created_by === null)).toBe(true);
      expect(devices.some((d) => d.created_by === 'admin')).toBe(true);
      expect(devices.some((d) => d.created_by !== null && usernames.has(d.created_by))).toBe(true);
    });

    it('resellers with and without e-mail, in both roles', () => {
      expect(new Set(dataset.users.map((u) => u.role))).toEqual(new Set(['admin', 'user']));
      expect(dataset.users.some((u) => u.email === null)).toBe(true);
      expect(dataset.users.some((u) => u.email !== null)).toBe(true);
    });
  });

  describe('field contents', () => {
    const dataset = generateDataset({ seed: 3, licenses: 2000, today: TODAY });
    const devices = dataset.devices;

    it('device ids are unique 32-hex strings', () => {
      expect(devices.every((d) => /^[0-9a-fA-F]{32}$/.test(d.device_id))).toBe(true);
      expect(new Set(devices.map((d) => d.device_id)).size).toBe(devices.length);
    });

    it('CPFs are 11 digits with valid check digits', () => {
      const cpfs = devices.flatMap((d) => (d.cpf === null ? [] : [d.cpf]));
      expect(cpfs.length).toBeGreaterThan(1500);
      expect(cpfs.every(isValidCpf)).toBe(true);
    });

    it('names carry Portuguese accents, addresses carry commas, e-mails look like e-mails', () => {
      expect(devices.some((d) => d.owner_name !== null && /[áâãàçéêíóôõúÁÉÍÓÚÇ]/.test(d.owner_name))).toBe(true);
      expect(devices.filter((d) => d.address !== null).every((d) => (d.address ?? '').split(',').length >= 4)).toBe(true);
      expect(devices.filter((d) => d.email !== null).every((d) => /^[a-z0-9.]+@[a-z.]+$/.test(d.email ?? ''))).toBe(true);
    });

    it('end dates follow the periods from the start dates', () => {
      const mensal = devices.find((d) => d.license_type === 'mensal' && d.start_date?.endsWith('-31'));
      expect(mensal).toBeDefined();
      expect(devices.filter((d) => d.license_type === 'vitalicia').every((d) => d.end_date === null)).toBe(true);
      expect(devices.filter((d) => d.license_type !== 'vitalicia').every((d) => d.end_date !== null && d.end_date > (d.start_date ?? ''))).toBe(true);
    });

    it('roughly the intended mix of statuses and expiry', () => {
      const share = (predicate: (d: (typeof devices)[number]) => boolean) => devices.filter(predicate).length / devices.length;
      expect(share((d) => d.status === 'active')).toBeGreaterThan(0.7);
      expect(share((d) => d.status === 'blocked')).toBeGreaterThan(0.05);
      expect(share((d) => d.status === 'pending')).toBeGreaterThan(0.03);
      expect(share((d) => d.end_date !== null && d.end_date < TODAY)).toBeGreaterThan(0.1);
      expect(share((d) => d.created_by === null)).toBeGreaterThan(0.02);
    });

    it('telemetry is present on some rows and absent on others', () => {
      expect(devices.some((d) => d.last_seen_at !== null && d.last_version !== null)).toBe(true);
      expect(devices.some((d) => d.last_seen_at === null)).toBe(true);
    });
  });
});

describe('isValidCpf', () => {
  it('accepts a known valid CPF and rejects altered or degenerate ones', () => {
    expect(isValidCpf('52998224725')).toBe(true);
    expect(isValidCpf('52998224726')).toBe(false);
    expect(isValidCpf('11111111111')).toBe(false);
    expect(isValidCpf('5299822472')).toBe(false);
  });
});
