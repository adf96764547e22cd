/**
 * The kinds of value a setting takes, and the shape of a setting's
 * declaration. A kind is the parser of the setting (strict, with the
 * problem texts users see), the bounds or choices --help shows, and how
 * yargs reads the flag. settings.ts declares each setting once with these.
 */
import { parseCronSchedule } from './cron-schedule.js';
import { parseHookUrl } from './hook-url.js';
import { pathFor } from './platform-path.js';
import {
  ok,
  parseBoolean,
  parseChoice,
  parseChoiceList,
  parseInteger,
  parseInterval,
  parseNameList,
  parseRatio,
  parseSeconds,
  parseSecret,
  parseText,
  type Parsed,
} from './setting-values.js';

/** How --help and the tests see a value: yargs reads booleans as booleans and everything else as a string. */
export type SettingKind = 'number' | 'integer' | 'boolean' | 'string' | 'choice';

export interface ParseContext {
  /** Where a relative path given by the value's layer is resolved. */
  readonly baseDir: string;
  readonly platform: NodeJS.Platform;
  /** The value of a setting declared (and resolved) before this one. */
  readonly earlier: (flag: string) => unknown;
}

export interface ValueKind<T> {
  readonly kind: SettingKind;
  readonly parse: (value: unknown, context: ParseContext) => Parsed<T>;
  readonly choices?: readonly string[];
  /** Filled into `{min}` and `{max}` of the setting's help and README texts. */
  readonly bounds?: { readonly min: number; readonly max: number };
  /** How a parsed number is shown again in a problem: the value divided by `per`, in `unit`. */
  readonly scale?: { readonly per: number; readonly unit: 'seconds' };
  /** Settings whose value the parser reads through `earlier`. */
  readonly dependsOn?: readonly string[];
}

export function integer(min: number, max?: number): ValueKind<number> {
  return {
    kind: 'integer',
    parse: (value) => parseInteger(value, min, max),
    ...(max === undefined ? {} : { bounds: { min, max } }),
  };
}

/** Seconds as the user gives them (fractions allowed), whole milliseconds as the value. */
export function seconds(options: { readonly allowZero: boolean; readonly minSeconds?: number }): ValueKind<number> {
  return { kind: 'number', parse: (value) => parseSeconds(value, options), scale: { per: 1000, unit: 'seconds' } };
}

export function ratio(): ValueKind<number> {
  return { kind: 'number', parse: parseRatio, bounds: { min: 0, max: 1 } };
}

export function boolean(): ValueKind<boolean> {
  return { kind: 'boolean', parse: parseBoolean };
}

export function choice<const T extends string>(choices: readonly T[]): ValueKind<T> {
  return { kind: 'choice', parse: (value) => parseChoice(value, choices), choices };
}

/** A comma-separated list of choices (or a JSON list). */
export function choiceList<const T extends string>(choices: readonly T[]): ValueKind<readonly T[]> {
  return { kind: 'string', parse: (value) => parseChoiceList(value, choices) };
}

/** A comma-separated list of backup names (or a JSON list). */
export function nameList(): ValueKind<readonly string[]> {
  return { kind: 'string', parse: parseNameList };
}

/** An interval such as 30m or 1h, in milliseconds. */
export function interval(): ValueKind<number> {
  return { kind: 'string', parse: parseInterval };
}

export function cronSchedule(): ValueKind<string> {
  return { kind: 'string', parse: parseCronSchedule };
}

/** A non-empty string, kept as given. */
export function text(): ValueKind<string> {
  return { kind: 'string', parse: parseText };
}

/** A non-empty secret (a token): kept as given, never quoted in a problem. */
export function secret(): ValueKind<string> {
  return { kind: 'string', parse: parseSecret };
}

/** A path, made absolute against the folder of the layer that gave it. */
export function absolutePath(): ValueKind<string> {
  return {
    kind: 'string',
    parse: (value, context) => {
      const given = parseText(value);
      return given.ok ? ok(pathFor(context.platform).resolve(context.baseDir, given.value)) : given;
    },
  };
}

/** A webhook or ping URL (a secret); plain http elsewhere than loopback only when the boolean setting `allowInsecure` is on. */
export function hookUrl(allowInsecure: string): ValueKind<string> {
  return { kind: 'string', parse: (value, context) => parseHookUrl(value, context.earlier(allowInsecure) === true), dependsOn: [allowInsecure] };
}

/** What a default computed from the machine may read. */
export interface DefaultContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
}

/** A default that depends on the machine; `text` is how --help shows it (looked up when --help is built). */
export interface ComputedDefault<T> {
  readonly compute: (context: DefaultContext) => T;
  readonly text: () => string;
}

/** The README row of a setting (see the settings table in README.md). */
export interface ReadmeRow {
  /** What follows the flag in the first column: `N`, `S`, `create\|skip`; none for a boolean. */
  readonly arg?: string;
  /** The default column, when it is not the declared default as is (strings in backticks, false as off). */
  readonly default?: string;
  /** The meaning column; `{min}` and `{max}` are the bounds. */
  readonly meaning: string;
}

/** One setting that is not about one server, as settings.ts declares it. */
export interface SettingDeclaration<T> {
  /** Kebab-case flag name without the dashes; also the JSON config key and, as SYNC_DBS_..., the environment name. */
  readonly flag: string;
  readonly value: ValueKind<T>;
  /**
   * As the user would write it (parsed with `value` to give the default value,
   * and shown as is by --help); null when there is none; or computed.
   */
  readonly default: string | number | boolean | null | ComputedDefault<T>;
  /** --help's default when `default` is null and the absence means something (looked up when --help is built). */
  readonly defaultText?: () => string;
  readonly readme: ReadmeRow;
  /**
   * The SyncConfig field the value fills (inside `section` when given), for
   * every command. Without it, the setting is read by name where it is used.
   */
  readonly field?: string | undefined;
  readonly section?: string | undefined;
  /** Only the commands that talk to the servers read it (status, history and report ignore it). */
  readonly scope?: 'servers';
  /** The --help group, when not Settings. */
  readonly group?: 'Servers';
  /** A number setting that must be at least this (earlier) setting's value. */
  readonly atLeast?: string;
}

/** A declaration that keeps the value type and the field it fills, for the types derived from the declarations. */
export type Declared<T, Field extends string | undefined, Section extends string | undefined> = Omit<SettingDeclaration<T>, 'field' | 'section'> & {
  readonly field: Field;
  readonly section: Section;
  /** Never set: carries the value type. */
  readonly valueType?: T;
};

type DeclaredAs<T, Flag extends string, Field extends string | undefined, Section extends string | undefined> = Omit<Declared<T, Field, Section>, 'flag'> & {
  readonly flag: Flag;
};

type Declaration<T, Flag extends string, Field, Section> = Omit<SettingDeclaration<T>, 'flag' | 'field' | 'section'> & {
  readonly flag: Flag;
  readonly field?: Field;
  readonly section?: Section;
};

/** Declares a setting; with a null default its value may be null. */
export function setting<T, const Flag extends string, const Field extends string | undefined = undefined, const Section extends string | undefined = undefined>(
  declaration: Declaration<T, Flag, Field, Section> & { readonly default: null },
): DeclaredAs<T | null, Flag, Field, Section>;
export function setting<T, const Flag extends string, const Field extends string | undefined = undefined, const Section extends string | undefined = undefined>(
  declaration: Declaration<T, Flag, Field, Section> & { readonly default: string | number | boolean | ComputedDefault<T> },
): DeclaredAs<T, Flag, Field, Section>;
export function setting<T>(declaration: SettingDeclaration<T>): SettingDeclaration<T> {
  return declaration;
}

type ValueOf<D> = D extends { readonly valueType?: infer T } ? T : never;

/** The values the declarations with a field give, in `Section` (undefined: the top level). */
export type FieldsOf<D, Section extends string | undefined> = {
  readonly [S in D as S extends { readonly field: infer F extends string; readonly section: Section } ? F : never]: ValueOf<S>;
};

/** The whole object the declarations `D` fill: top-level fields, and one object per section. */
export type ValuesOf<D> = FieldsOf<D, undefined> & {
  readonly [Section in D extends { readonly field: string; readonly section: infer S extends string } ? S : never]: FieldsOf<D, Section>;
};

/** Fills `{min}` and `{max}`; a placeholder without bounds is a declaration error. */
export function withBounds(text: string, flag: string, bounds: ValueKind<unknown>['bounds']): string {
  return text.replace(/\{(min|max)\}/g, (_, which: 'min' | 'max') => {
    if (bounds === undefined) throw new Error(`--${flag}: {${which}} in a text, but the setting has no bounds`);
    return String(bounds[which]);
  });
}
