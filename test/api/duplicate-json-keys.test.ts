import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateKeys, type DuplicateKey } from '../../src/api/duplicate-json-keys.js';

const dup = (path: (string | number)[], key: string, count = 2): DuplicateKey => ({ path, key, count });

describe('findDuplicateKeys', () => {
  it.each([
    ['an empty object', '{}'],
    ['an empty array', '[]'],
    ['a scalar', '42'],
    ['a string', '"a"'],
    ['distinct members', '{"a":1,"b":2,"c":{"a":1,"b":[1,2,{"a":null}]}}'],
    ['the same name in sibling objects', '[{"a":1},{"a":2}]'],
    ['the same name in nested objects', '{"a":{"a":{"a":1}}}'],
    ['names differing by case', '{"a":1,"A":2}'],
    ['an escaped backslash before b, and two', '{"a\\\\b":1,"a\\\\\\\\b":2}'],
    ['names inside string values', '{"a":"{\\"a\\":1,\\"a\\":2}","b":"a"}'],
    ['strings in an array that look like names', '{"a":[1,"a",2,"a"],"b":["a","b"]}'],
  ])('finds nothing in %s', (_name, json) => {
    expect(findDuplicateKeys(json)).toEqual([]);
  });

  it('finds a member repeated in the root object', () => {
    expect(findDuplicateKeys('{"device_id":"a","status":"active","status":"blocked"}')).toEqual([dup([], 'status')]);
  });

  it('counts a member given three times, and reports each repeated name once, in the order they first repeat', () => {
    expect(findDuplicateKeys('{"b":1,"a":1,"a":2,"b":2,"a":3}')).toEqual([dup([], 'a', 3), dup([], 'b')]);
  });

  it.each([
    ['\\u0041 and A', '{"\\u0041":1,"A":2}', 'A'],
    ['lower-case hex escapes', '{"\\u00e9":1,"é":2}', 'é'],
    ['an escaped slash and a plain one', '{"a/b":1,"a\\/b":2}', 'a/b'],
    ['an escaped quote', '{"a\\"b":1,"a\\u0022b":2}', 'a"b'],
    ['a name ending in an escaped backslash', '{"x\\\\":1,"x\\u005c":2}', 'x\\'],
    ['a surrogate pair, escaped and literal', '{"\\ud83d\\ude00":1,"😀":2}', '😀'],
    ['control escapes', '{"a\\nb\\t":1,"a\\u000ab\\u0009":2}', 'a\nb\t'],
    ['the empty name', '{"":1,"":2}', ''],
    ['__proto__', '{"__proto__":{},"__proto__":{"polluted":true}}', '__proto__'],
    ['constructor', '{"constructor":1,"constructor":2}', 'constructor'],
  ])('compares names as JSON.parse reads them: %s', (_name, json, key) => {
    expect(findDuplicateKeys(json)).toEqual([dup([], key)]);
  });

  it('takes whitespace anywhere', () => {
    expect(findDuplicateKeys(' \n{ "a" : 1 ,\n\t"b":[ 1 , { "c" :1,\r\n "c" : 2 } ] ,\r "a"\n:\t2 }\n')).toEqual([dup(['b', 1], 'c'), dup([], 'a')]);
  });

  it('names where each repeated member is: member names and array indexes from the root', () => {
    const json = '{"items":[{"x":1},{"s":1,"s":2},{"n":{"k":1,"k":2}}],"meta":{"a":{"b":[0,[1],{"c":1,"c":1}]}}}';
    expect(findDuplicateKeys(json)).toEqual([dup(['items', 1], 's'), dup(['items', 2, 'n'], 'k'), dup(['meta', 'a', 'b', 2], 'c')]);
  });

  it('tells records that share their names from one that repeats one, however it is spelled', () => {
    const record = '{"id":1,"status":"a","email":null}';
    const json = `[${record},${record},{"id":1,"status":"a","email":null,"st\\u0061tus":"b"},{"id":1,"status":"a"},{"id":1,"email":null,"id":2},${record},{"id":1,"status":"a","email":null,"x":1,"x":2}]`;
    expect(findDuplicateKeys(json)).toEqual([dup([2], 'status'), dup([4], 'id'), dup([6], 'x')]);
  });

  it('reports objects in the order they close: the inner one before the outer one', () => {
    expect(findDuplicateKeys('{"a":{"x":1,"x":2},"a":3}')).toEqual([dup(['a'], 'x'), dup([], 'a')]);
  });

  it('counts array elements past strings holding commas, brackets, braces and colons', () => {
    expect(findDuplicateKeys('[",]}{[:,", "\\"", "\\\\", [",", {"x": "]"}], {"k":"}","k":"{"}]')).toEqual([dup([4], 'k')]);
  });

  it.each([
    ['a value ending in an escaped backslash', '{"a":"x\\\\","a":"y"}'],
    ['a value ending in an escaped quote', '{"a":"x\\"","a":"y"}'],
    ['a value of backslashes and quotes', '{"a":"\\\\\\"\\\\\\\\\\"","a":1}'],
    ['a value with braces', '{"a":"}","a":"{"}'],
  ])('finds the end of string values: %s', (_name, json) => {
    expect(JSON.parse(json)).toBeDefined();
    expect(findDuplicateKeys(json)).toEqual([dup([], 'a')]);
  });

  it.each([
    ['truncated inside an object', '{"a":1,"a":'],
    ['truncated inside a name', '{"a":1,"a'],
    ['truncated inside a value', '{"a":"12'],
    ['unbalanced closers', '}}]]{"a":1}'],
    ['a lone quote', '"'],
  ])('stops without error on text that is not JSON: %s', (_name, json) => {
    expect(() => findDuplicateKeys(json)).not.toThrow();
  });

  it('stays linear on long runs of escapes, long names and deep nesting', () => {
    const escapes = `{"a":"${'\\"'.repeat(500_000)}","a":1}`;
    const longName = `{"${'n'.repeat(1_000_000)}":1,"${'n'.repeat(1_000_000)}":2}`;
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const started = performance.now();
    expect(findDuplicateKeys(escapes)).toEqual([dup([], 'a')]);
    expect(findDuplicateKeys(longName)).toEqual([dup([], 'n'.repeat(1_000_000))]);
    expect(findDuplicateKeys(deep)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

// Random JSON texts with repeated names, spelled with random escapes and
// whitespace, against a model computed from the tree they were written from.

type Tree = number | string | Tree[] | { readonly members: readonly (readonly [string, Tree])[] };

const NAME_CHARS = ['a', 'b', 'A', '"', '\\', '/', 'é', '😀', '\n', ' ', '{', ':'];
const anyName = fc.array(fc.constantFrom(...NAME_CHARS), { maxLength: 3 }).map((chars) => chars.join(''));

/** Trees with names from `names`; arrays of several objects, as listings are. */
function treesWith(names: fc.Arbitrary<string>): fc.Arbitrary<Tree> {
  return fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: -5, max: 5 }),
      names,
      fc.array(tie('tree'), { maxLength: 6 }),
      fc.array(fc.tuple(names, tie('tree')), { maxLength: 5 }).map((members) => ({ members })),
    ),
  })).tree;
}

/** Writes `text` as a JSON string, each character plain or escaped, as `escapes` decides. */
function writeString(text: string, escapes: () => boolean): string {
  let out = '"';
  for (const char of text) {
    const units = Array.from({ length: char.length }, (_, i) => char.charCodeAt(i));
    if (char === '"') out += escapes() ? '\\u0022' : '\\"';
    else if (char === '\\') out += escapes() ? '\\u005C' : '\\\\';
    else if (char === '\n') out += escapes() ? '\\u000a' : '\\n';
    else if (char === '/' && escapes()) out += '\\/';
    else if (escapes()) out += units.map((unit) => `\\u${unit.toString(16).padStart(4, '0')}`).join('');
    else out += char;
  }
  return `${out}"`;
}

function writeJson(tree: Tree, escapes: () => boolean, space: () => string): string {
  if (typeof tree === 'number') return String(tree);
  if (typeof tree === 'string') return writeString(tree, escapes);
  if (Array.isArray(tree)) return `[${tree.map((item) => `${space()}${writeJson(item, escapes, space)}${space()}`).join(',')}]`;
  const members = tree.members.map(([name, value]) => `${space()}${writeString(name, escapes)}${space()}:${space()}${writeJson(value, escapes, space)}${space()}`);
  return `{${members.join(',')}}`;
}

function expectedDuplicates(tree: Tree, path: (string | number)[] = []): DuplicateKey[] {
  if (typeof tree !== 'object') return [];
  if (Array.isArray(tree)) return tree.flatMap((item, index) => expectedDuplicates(item, [...path, index]));
  const inner = tree.members.flatMap(([name, value]) => expectedDuplicates(value, [...path, name]));
  const counts = new Map<string, number>();
  const repeated: string[] = [];
  for (const [name] of tree.members) {
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    if (count === 2) repeated.push(name);
  }
  return [...inner, ...repeated.map((key) => dup(path, key, counts.get(key)))];
}

describe('findDuplicateKeys on random JSON texts', () => {
  // Few names: sibling objects often list the same names in the same order, as records do.
  it.each([
    ['any names', anyName],
    ['few names', fc.constantFrom('id', 'status', 'st/atus', 'email')],
  ])('finds exactly the repeated names of the tree the text was written from (%s)', (_name, names) => {
    fc.assert(
      fc.property(treesWith(names), fc.infiniteStream(fc.boolean()), fc.infiniteStream(fc.constantFrom('', '', ' ', '\n', '\t ', '\r\n')), (tree, escapeStream, spaceStream) => {
        const escapes = escapeStream[Symbol.iterator]();
        const spaces = spaceStream[Symbol.iterator]();
        const json = writeJson(
          tree,
          () => escapes.next().value as boolean,
          () => spaces.next().value as string,
        );
        expect(() => JSON.parse(json) as unknown).not.toThrow();
        expect(findDuplicateKeys(json)).toEqual(expectedDuplicates(tree));
      }),
      { numRuns: 500 },
    );
  });
});
