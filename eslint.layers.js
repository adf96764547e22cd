// The layers of src/, top to bottom (docs/architecture.md explains each).
// A folder may import only from folders in the rows below its own: never from
// a row above, nor from another folder of its own row.
export const LAYERS = [
  ['cli'],
  ['serve'],
  ['dashboard'],
  ['run'],
  ['notify'],
  ['report'],
  ['outcome'],
  ['execute', 'state', 'watch'],
  ['plan', 'api'],
  ['snapshot'],
  ['progress'],
  ['domain', 'config', 'log'],
  ['i18n'],
];

// Test and demo tooling beside the layers: it may use these, and no layer may use it.
export const APART = { folder: 'emulator', uses: ['domain'] };

const path = (folder) => `./src/${folder}`;

/** `import-x/no-restricted-paths` zones that enforce LAYERS and APART. */
export function layerZones(layers) {
  const zones = [];
  layers.forEach((row, index) => {
    const forbidden = [...layers.slice(0, index).flat(), ...row];
    for (const folder of row) {
      const from = forbidden.filter((other) => other !== folder);
      if (from.length > 0) {
        zones.push({ target: path(folder), from: from.map(path), message: `${folder}/ sits below or beside these layers and may not import them (docs/architecture.md)` });
      }
      zones.push({ target: path(folder), from: path(APART.folder), message: 'sync code must not import the emulator (test and demo tooling)' });
    }
  });
  const notUsed = layers.flat().filter((folder) => !APART.uses.includes(folder));
  zones.push({ target: path(APART.folder), from: notUsed.map(path), message: `the emulator may use only ${APART.uses.join(', ')}/ of the sync code` });
  return zones;
}
