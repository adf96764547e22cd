import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// src/config's modules import each other in one direction only: shared
// constants and types live in the module that owns them.

const CONFIG_DIR = fileURLToPath(new URL('../../src/config/', import.meta.url));

/** Module -> the src/config modules it imports (type-only imports included). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(CONFIG_DIR).filter((name) => name.endsWith('.ts'))) {
    const text = readFileSync(path.join(CONFIG_DIR, file), 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom '\.\/([^']+)\.js';/gms)].map((match) => `${match[1] ?? ''}.ts`);
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle, as the list of modules on it. */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (module: string, stack: string[]): void => {
    for (const target of graph.get(module) ?? []) {
      const at = stack.indexOf(target);
      if (at >= 0) cycles.push([...stack.slice(at), target]);
      else if (!done.has(target)) visit(target, [...stack, target]);
    }
    done.add(module);
  };
  for (const module of graph.keys()) if (!done.has(module)) visit(module, [module]);
  return cycles;
}

describe('src/config imports', () => {
  it('form no cycle', () => {
    const graph = importGraph();
    expect(graph.get('layers.ts')).toBeDefined();
    expect(cyclesOf(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    expect(cyclesOf(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']]]))).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });
});
