import type { PrePushPolicy, PrePushSeverity, SystemConfig } from '../../config/types.js';
import type { DriftKind } from '../../drift/types.js';
import { hasModelExtension, modelExtensions } from '../../config/model-files.js';
import type { RangeChange } from './ranges.js';
import { locationKind } from '../../config/location.js';

/**
 * The defaults a team can live with: what is wrong in the pushed content blocks; deployment drift
 * blocks only the push that touches the system (anyone else would be blocked by a redeploy they
 * do not own); code drift and the registry warn (CI's `modelgov drift` enforces them); a source
 * the laptop cannot read (no credentials) warns.
 */
export const DEFAULT_PRE_PUSH: Required<PrePushPolicy> = {
  manifest: 'block',
  docs: 'block',
  filename: 'block',
  registry: 'warn',
  'deployment-model': 'touched',
  'deployment-code': 'warn',
  offline: 'warn',
};

/** The policy of a config: its `prePush` over the defaults. */
export function prePushPolicy(configured: PrePushPolicy | undefined): Required<PrePushPolicy> {
  return { ...DEFAULT_PRE_PUSH, ...(configured ?? {}) };
}

/** What a finding of `kind` does in this push. */
export function severityOf(policy: Required<PrePushPolicy>, kind: DriftKind, touched: boolean): Exclude<PrePushSeverity, 'touched'> {
  const s = policy[kind];
  if (s === 'touched') return touched ? 'block' : 'warn';
  return s;
}

/**
 * Does the push touch this system: its manifest, docs files, template, service file, model files,
 * source dirs, or the config itself. Paths are repo-relative; `toRepo` maps config-relative ones.
 */
export function touchesSystem(sys: SystemConfig, configPath: string, changes: RangeChange[], toRepo: (location: string) => string | undefined): boolean {
  const files = new Set<string>([configPath]);
  const dirs: string[] = [];
  const add = (loc: string | undefined) => {
    const p = loc === undefined ? undefined : toRepo(loc);
    if (p !== undefined) files.add(p);
  };
  add(sys.manifest);
  add(sys.docsTemplate);
  for (const d of sys.docs ?? []) add(d);
  if (sys.deployment && locationKind(sys.deployment.service) !== 'cloudrun') add(sys.deployment.service);
  for (const d of sys.deployment?.sourceDirs ?? []) {
    const p = toRepo(d);
    if (p !== undefined) dirs.push(p === '' ? '' : `${p.replace(/\/+$/, '')}/`);
  }
  const exts = modelExtensions([sys]);
  return changes.some((c) => files.has(c.path) || dirs.some((d) => c.path.startsWith(d)) || hasModelExtension(c.path, exts));
}
