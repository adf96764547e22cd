import type { BaseLookup, BaseMeta, PairKey } from '../state/pair-base-store.js';
import type { PairBase } from '../plan/two-way/pair-base.js';

/** The state store's pair bases as a run sees them; `plan` gets one that only reads. */
export interface PairBases {
  load(pair: PairKey): BaseLookup;
  /** The same, keeping only the peer's side (the primary's map is empty). */
  loadPeerSide(pair: PairKey): BaseLookup;
  save(pair: PairKey, base: PairBase, meta: BaseMeta): void;
  /** Drops the pair's base (the next two-way run then needs --resync). */
  forget(pair: PairKey): void;
  /** True when save writes (false for `plan`, which records nothing). */
  readonly writable: boolean;
}
