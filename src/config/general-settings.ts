/**
 * Resolves the settings that are not about one server, as settings.ts
 * declares them: the value from the highest layer that gives it, parsed by
 * the setting's kind, else its declared default.
 */
import { t, type MessageKey } from '../i18n/i18n.js';
import { findSetting, type Layer, type LayerKey, type Problems } from './layers.js';
import type { DefaultContext, SettingDeclaration } from './setting-kinds.js';
import { GENERAL_SETTINGS, declarationOf, defaultValueOf, type DeclaredValues } from './settings.js';
import type { ConflictPolicy, SyncMode } from './sync-config.js';

export interface GeneralSettings extends DeclaredValues {
  /** The CA file to read, still unread. */
  readonly caFile: { readonly path: string; readonly label: string } | null;
}

export type GeneralContext = DefaultContext;

export interface Resolved<T> {
  readonly value: T;
  readonly label: string;
  /** False when the given value was rejected and value is the default. */
  readonly valid: boolean;
}

function resolve<T>(
  layers: readonly Layer[],
  declaration: SettingDeclaration<T>,
  context: GeneralContext & { readonly earlier: (flag: string) => unknown },
  problems: Problems,
): Resolved<T | null> {
  const { flag } = declaration;
  const fallback = defaultValueOf(declaration, context);
  const found = findSetting(layers, flag as LayerKey);
  if (found === undefined) return { value: fallback, label: t('config:label', { name: `--${flag}`, source: t('config:source.default') }), valid: true };
  const parsed = declaration.value.parse(found.value, { baseDir: found.baseDir, platform: context.platform, earlier: context.earlier });
  if (parsed.ok) return { value: parsed.value, label: found.label, valid: true };
  problems.push(`${found.label}: ${parsed.problem}`);
  return { value: fallback, label: found.label, valid: false };
}

/** `retry-max-delay` must be at least `retry-delay`: checked once both are valid. */
function checkAtLeast(declaration: SettingDeclaration<unknown>, resolved: ReadonlyMap<string, Resolved<unknown>>, problems: Problems): void {
  if (declaration.atLeast === undefined) return;
  const value = resolved.get(declaration.flag);
  const other = resolved.get(declaration.atLeast);
  if (value === undefined || other === undefined) throw new Error(`--${declaration.flag}: --${declaration.atLeast} is not declared before it`);
  if (!value.valid || !other.valid || typeof value.value !== 'number' || typeof other.value !== 'number' || value.value >= other.value) return;
  const { per, unit } = declaration.value.scale ?? { per: 1, unit: null };
  const amount = (number: number) => String(number / per);
  const problem = t('config:atLeast', {
    // The settings another one must be at least have their names in the catalog.
    other: t(`config:settingName.${declaration.atLeast}` as MessageKey),
    amount: amount(other.value),
    unit: unit === null ? '' : t(`config:unit.${unit}`),
    label: other.label,
    value: JSON.stringify(amount(value.value)),
  });
  problems.push(`${value.label}: ${problem}`);
}

/** Every setting every command reads (not those only the commands talking to the servers read), in declaration order. */
export function resolveGeneralSettings(layers: readonly Layer[], context: GeneralContext, problems: Problems): GeneralSettings {
  const resolved = new Map<string, Resolved<unknown>>();
  const earlier = (flag: string) => resolved.get(flag)?.value;
  const settings: Record<string, unknown> = {};
  for (const declaration of GENERAL_SETTINGS as readonly SettingDeclaration<unknown>[]) {
    if (declaration.scope === 'servers') continue;
    const result = resolve(layers, declaration, { ...context, earlier }, problems);
    resolved.set(declaration.flag, result);
    checkAtLeast(declaration, resolved, problems);
    if (declaration.field === undefined) continue;
    const target = declaration.section === undefined ? settings : ((settings[declaration.section] ??= {}) as Record<string, unknown>);
    target[declaration.field] = result.value;
  }
  const caFile = resolved.get('ca-file') as Resolved<string | null>;
  return { ...(settings as unknown as DeclaredValues), caFile: caFile.value === null ? null : { path: caFile.value, label: caFile.label } };
}

/** The settings that shape a sync run: which backups it takes, and how. */
export interface RunSettings {
  readonly mode: Resolved<SyncMode>;
  /** Given with one-way mode, it is accepted and has no effect. */
  readonly conflict: Resolved<ConflictPolicy>;
  /** The names --backup gives; null for every configured backup. */
  readonly backupNames: Resolved<readonly string[] | null>;
}

export function resolveRunSettings(layers: readonly Layer[], context: GeneralContext, problems: Problems): RunSettings {
  const run = <T>(declaration: SettingDeclaration<T>) => resolve(layers, declaration, { ...context, earlier: () => undefined }, problems);
  return {
    mode: run(declarationOf('mode')) as Resolved<SyncMode>,
    conflict: run(declarationOf('conflict')) as Resolved<ConflictPolicy>,
    backupNames: run(declarationOf('backup')),
  };
}
