import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The run's place in the layers: nothing below it imports it, the concrete
// HTTP client stays behind the LicenseServer interface, and neither run/ nor
// api/ has an import cycle.

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The source files each file imports (relative imports only), as paths under src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)].map((match) =>
      path.relative(SRC, path.resolve(path.dirname(file), (match[1] as string).replace(/\.js$/, '.ts'))),
    );
    graph.set(path.relative(SRC, file), targets);
  }
  return graph;
}

const GRAPH = importGraph();
const folderOf = (file: string) => file.split(path.sep)[0] as string;

function cycleIn(folder: string): string[] | null {
  const files = [...GRAPH.keys()].filter((file) => folderOf(file) === folder);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...trail.slice(trail.indexOf(file)), file];
    state.set(file, 'open');
    for (const next of GRAPH.get(file) ?? []) {
      if (folderOf(next) !== folder) continue;
      const found = visit(next, [...trail, file]);
      if (found !== null) return found;
    }
    state.set(file, 'done');
    return null;
  };
  for (const file of files) {
    const found = visit(file, []);
    if (found !== null) return found;
  }
  return null;
}

describe('layers', () => {
  it.each(['outcome', 'report', 'notify', 'state', 'execute', 'api'])('%s/ does not import run/', (folder) => {
    const offending = [...GRAPH].filter(([file, targets]) => folderOf(file) === folder && targets.some((target) => folderOf(target) === 'run')).map(([file]) => file);
    expect(offending).toEqual([]);
  });

  it('only api/ and the CLI wiring import the HTTP client and its error class', () => {
    const concrete = new Set([path.join('api', 'license-api-client.ts'), path.join('api', 'api-error.ts'), path.join('api', 'http-servers.ts')]);
    const offending = [...GRAPH]
      .filter(([file, targets]) => !['api', 'cli'].includes(folderOf(file)) && targets.some((target) => concrete.has(target)))
      .map(([file]) => file);
    expect(offending).toEqual([]);
  });

  it.each(['run', 'api'])('%s/ has no import cycle', (folder) => {
    expect(cycleIn(folder)).toBeNull();
  });
});
