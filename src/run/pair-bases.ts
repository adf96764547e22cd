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

/**
 * One pair's base as a step reads it: nothing is loaded until a strategy asks
 * (a base is large), and each way of loading it happens at most once.
 */
export interface PairBaseAccess {
  readonly pair: PairKey;
  /** Both sides. */
  whole(): BaseLookup;
  /** The peer's side only (the primary's map is empty), or the whole base when it is already loaded. */
  peerSide(): BaseLookup;
}

export function pairBaseAccess(bases: PairBases | null, pair: PairKey): PairBaseAccess {
  let whole: BaseLookup | null = null;
  let peerSide: BaseLookup | null = null;
  return {
    pair,
    whole: () => (whole ??= bases === null ? { kind: 'none' } : bases.load(pair)),
    peerSide: () => whole ?? (peerSide ??= bases === null ? { kind: 'none' } : bases.loadPeerSide(pair)),
  };
}
