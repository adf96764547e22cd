import type { EN_CATALOG, Namespace } from './catalogs.js';

type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type BaseKey<K extends string> = K extends `${infer Base}_${PluralSuffix}` ? Base : K;

/** `namespace:key` of every English message; plural forms are asked for by their base key and `count`. */
export type MessageKey = { [N in Namespace]: `${N}:${BaseKey<keyof (typeof EN_CATALOG)[N] & string>}` }[Namespace];
