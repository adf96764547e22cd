import { describe, expect, it } from 'vitest';
import { syncRequestFor } from '../../src/serve/trigger-rules.js';
import { aTracked, aTransition } from './support/serve-fakes.js';

const PRIMARY_UP = [aTracked('primary', 'primary', 'up'), aTracked('render', 'backup', 'up')];
const PRIMARY_DOWN = [aTracked('primary', 'primary', 'down'), aTracked('render', 'backup', 'up')];

describe('the sync a transition calls for', () => {
  it('the primary back: the full reconciling run, at once', () => {
    expect(syncRequestFor(aTransition('primary', 'back'), PRIMARY_UP)).toEqual({ trigger: 'primary-back', backup: null });
  });

  it('a backup back while the primary is up: a run of that backup alone', () => {
    expect(syncRequestFor(aTransition('render', 'back'), PRIMARY_UP)).toEqual({ trigger: 'backup-back', backup: 'render' });
  });

  it('a backup back while the primary is down: nothing (the primary\'s return will run them all)', () => {
    expect(syncRequestFor(aTransition('render', 'back'), PRIMARY_DOWN)).toBeNull();
  });

  it('a server down: nothing', () => {
    expect(syncRequestFor(aTransition('primary', 'down'), PRIMARY_UP)).toBeNull();
    expect(syncRequestFor(aTransition('render', 'down'), PRIMARY_UP)).toBeNull();
  });

  it('a primary back from asleep is a return too', () => {
    expect(syncRequestFor(aTransition('primary', 'back', { from: 'asleep' }), PRIMARY_UP)).toEqual({ trigger: 'primary-back', backup: null });
  });
});
