export declare const LAYERS: readonly (readonly string[])[];
export declare const APART: { readonly folder: string; readonly uses: readonly string[] };
export declare function layerZones(layers: readonly (readonly string[])[]): { target: string; from: string | string[]; message: string }[];
