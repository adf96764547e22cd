import { describe, expect, it } from 'vitest';
import { TransitionAlerts } from '../../src/serve/transition-alerts.js';
import type { Transition } from '../../src/watch/health-tracker.js';
import { aTransition, LinesLog } from './support/serve-fakes.js';

function alerts(post: (transition: Transition) => Promise<void> = () => Promise.resolve()) {
  const posted: Transition[] = [];
  const log = new LinesLog();
  const sent = new TransitionAlerts(async (transition) => {
    posted.push(transition);
    await post(transition);
  }, log);
  return { sent, posted, log };
}

describe('transition alerts', () => {
  it('posts each transition once', async () => {
    const { sent, posted } = alerts();
    await sent.heard(aTransition('primary', 'down'));
    await sent.heard(aTransition('primary', 'back'));
    await sent.heard(aTransition('primary', 'down'));
    expect(posted.map((transition) => transition.kind)).toEqual(['down', 'back', 'down']);
  });

  it('never posts the same change of a server twice (down, then asleep, is one outage)', async () => {
    const { sent, posted } = alerts();
    await sent.heard(aTransition('primary', 'down'));
    await sent.heard(aTransition('primary', 'down', { from: 'down', to: 'asleep' }));
    await sent.heard(aTransition('render', 'down'));
    expect(posted.map((transition) => `${transition.server} ${transition.kind}`)).toEqual(['primary down', 'render down']);
  });

  it('logs a post that throws and never rejects', async () => {
    const { sent, log } = alerts(() => Promise.reject(new Error('socket hang up')));
    await expect(sent.heard(aTransition('render', 'down'))).resolves.toBeUndefined();
    expect(log.lines).toEqual(['warn: could not post the notification about render: socket hang up']);
  });
});
