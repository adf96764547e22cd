/**
 * JSON.parse keeps the last of two members with the same name and says
 * nothing: `{"status":"active","status":"blocked"}` reads as blocked. This
 * finds such names in one pass over the text, comparing names as JSON.parse
 * reads them (`"\u0041"` and `"A"` are the same name).
 */

/** A member name that appears more than once in one object. */
export interface DuplicateKey {
  /** Where the object is: member names and array indexes from the root ([] for the root itself). */
  readonly path: readonly (string | number)[];
  readonly key: string;
  /** How many times the name appears in that object (at least 2). */
  readonly count: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * One open object or array; reused by depth, so that a listing of many records
 * allocates a handful of these. Records of one listing share their member
 * names, in the same order: an object whose names so far are, in order, those
 * of the last object at its depth without repeats (`template`) has no repeats
 * either, which is checked in place, without copying a name or hashing it.
 */
class Frame {
  isObject = false;
  expectKey = false;
  /** The current member's name (objects) or element index (arrays). */
  key = '';
  index = 0;
  /** Members read so far in this object. */
  count = 0;
  template: string[] = [];
  /** Whether every name so far matched the template, so that `names` and `seen` are not filled yet. */
  matching = false;
  names: string[] = [];
  readonly seen = new Set<string>();
  repeated: Map<string, number> | null = null;

  open(isObject: boolean): void {
    this.isObject = isObject;
    this.expectKey = isObject;
    this.key = '';
    this.index = 0;
    this.count = 0;
    this.matching = true;
    this.repeated = null;
  }

  /** Leaves the template: the names matched so far become ordinary seen names. */
  stopMatching(): void {
    this.matching = false;
    this.names = this.template.slice(0, this.count);
    this.seen.clear();
    for (const name of this.names) this.seen.add(name);
  }

  /** On closing: an object read the slow way, without repeats, is the template for the next one. */
  close(): void {
    if (!this.matching && this.repeated === null) this.template = this.names;
  }
}

/**
 * The repeated member names of every object in `json`, in the order their
 * objects close. Meant for text JSON.parse has accepted: on other text it
 * stops without error and reports what it found.
 */
export function findDuplicateKeys(json: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const frames: Frame[] = [];
  let depth = 0;
  const length = json.length;
  let i = 0;
  while (i < length) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      const top = depth > 0 ? (frames[depth - 1] as Frame) : null;
      if (top !== null && top.expectKey) {
        // Names are short: read char by char, noting escapes.
        let end = i + 1;
        let escaped = false;
        for (; end < length; end++) {
          const k = json.charCodeAt(end);
          if (k === QUOTE) break;
          if (k === BACKSLASH) {
            escaped = true;
            end += 1;
          }
        }
        if (end >= length) break;
        top.expectKey = false;
        if (top.matching && !escaped && matchesTemplate(json, i + 1, end, top)) {
          top.key = top.template[top.count] as string;
        } else {
          if (top.matching) top.stopMatching();
          const name = escaped ? (JSON.parse(json.slice(i, end + 1)) as string) : json.slice(i + 1, end);
          top.key = name;
          if (top.seen.has(name)) {
            top.repeated ??= new Map();
            top.repeated.set(name, (top.repeated.get(name) ?? 1) + 1);
          } else {
            top.seen.add(name);
            top.names.push(name);
          }
        }
        top.count += 1;
        i = end + 1;
      } else {
        const end = stringEnd(json, i);
        if (end < 0) break;
        i = end + 1;
      }
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let frame = frames[depth];
      if (frame === undefined) {
        frame = new Frame();
        frames.push(frame);
      }
      frame.open(c === OPEN_OBJECT);
      depth += 1;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 0) break;
      depth -= 1;
      const frame = frames[depth] as Frame;
      frame.close();
      if (frame.repeated !== null) {
        const path = pathTo(frames, depth);
        for (const [key, count] of frame.repeated) found.push({ path, key, count });
      }
    } else if (c === COMMA && depth > 0) {
      const top = frames[depth - 1] as Frame;
      if (top.isObject) top.expectKey = true;
      else top.index += 1;
    }
    i += 1;
  }
  return found;
}

/** Whether the name between `start` and `end` (unescaped) is the template's next one. */
function matchesTemplate(json: string, start: number, end: number, frame: Frame): boolean {
  const expected = frame.template[frame.count];
  return expected !== undefined && expected.length === end - start && json.startsWith(expected, start);
}

function pathTo(frames: readonly Frame[], depth: number): (string | number)[] {
  const path: (string | number)[] = [];
  for (let level = 0; level < depth; level++) {
    const frame = frames[level] as Frame;
    path.push(frame.isObject ? frame.key : frame.index);
  }
  return path;
}

/** The index of the quote closing the string value that opens at `start`, or -1. Values may be long: jump from quote to quote. */
function stringEnd(json: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = json.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (json.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
