import type { SystemConfig } from './types.js';

/** Extensions a system's model files use (what `lintNames` assumes when none are configured). */
export function modelExtensions(systems: SystemConfig[]): string[] {
  const out = new Set<string>();
  for (const s of systems) {
    const configured = (s.artifacts?.extensions ?? []).filter((e) => typeof e === 'string' && e.length > 0);
    for (const e of configured.length ? configured : ['.cbm']) out.add((e.startsWith('.') ? e : `.${e}`).toLowerCase());
  }
  return [...out];
}

/** True when `path` ends with one of `exts` (lower-cased, with dot), ignoring case, and is more than the extension. */
export function hasModelExtension(path: string, exts: string[]): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return exts.some((e) => base.length > e.length && base.endsWith(e));
}
