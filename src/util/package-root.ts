import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelgovError } from '../errors.js';

let found: string | undefined;

/**
 * The running modelgov package's root (package.json, hooks/, schema/), found by walking up from
 * this module: it holds for the bundle in dist/, the sources and every install route (a
 * node_modules dependency, a vendored tarball, the pre-commit framework's own environment).
 */
export function packageRoot(): string {
  if (found) return found;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'schema', 'config.schema.json'))) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'modelgov') return (found = dir);
      } catch {
        // not ours: keep walking up
      }
    }
    if (dirname(dir) === dir) throw new ModelgovError('INTERNAL', 'cannot find the modelgov package (package.json, schema/)', { fix: 'Reinstall modelgov.' });
  }
}

/** The config's JSON Schema as shipped with the running modelgov (absolute path). */
export function shippedConfigSchema(): string {
  return join(packageRoot(), 'schema', 'config.schema.json');
}
