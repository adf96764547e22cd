import type { EmulatorClock } from './clock.js';
import type { EmulatorStore } from './store.js';
import type { TokenSigner } from './tokens.js';

/** What the API routes and /verify work with. */
export interface ApiContext {
  readonly store: EmulatorStore;
  readonly clock: EmulatorClock;
  readonly tokens: TokenSigner;
  /** Called for every license written with an e-mail, where the server has e-mail configured. */
  readonly sendWelcomeEmail: (to: string) => void;
}
