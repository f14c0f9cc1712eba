import { join } from 'node:path';
import { ModelgovError } from '../../errors.js';
import type { InitStep } from './init-context.js';
import { jsonLike, parseJsonFile, type PackageJson } from './package-json.js';

/** simple-git-hooks writes each command into .git/hooks as it is: no PATH set up, so the path to the bin. */
const COMMANDS = { 'pre-commit': './node_modules/.bin/modelgov hook pre-commit', 'pre-push': './node_modules/.bin/modelgov hook pre-push' } as const;

/**
 * Adds modelgov to simple-git-hooks' config (package.json key or `.simple-git-hooks.json`): each
 * hook's command gets `&& <modelgov>` appended, or is created. simple-git-hooks only applies its
 * config when `npx simple-git-hooks` runs, which init leaves to the user (it rewrites every hook).
 */
export function integrateSimpleGitHooks(step: InitStep, pkg: PackageJson): void {
  pkg.ensureDevDependencies(['modelgov']);
  const jsonFile = ['.simple-git-hooks.json', 'simple-git-hooks.json'].map((f) => join(step.root, f)).find((f) => step.pending.exists(f));
  let config: Record<string, any>;
  let save: (what: string) => void;
  if (pkg.value['simple-git-hooks'] !== undefined) {
    config = pkg.value['simple-git-hooks'];
    save = (what) => pkg.changes.push(`simple-git-hooks ${what}`);
  } else if (jsonFile) {
    const text = step.pending.read(jsonFile)!;
    const name = jsonFile.slice(step.root.length + 1);
    config = parseJsonFile(name, text);
    save = (what) => {
      step.pending.write(jsonFile, jsonLike(text, config));
      step.changed(`${name} (${what})`);
    };
  } else {
    throw new ModelgovError('USAGE', 'simple-git-hooks is configured in a JavaScript file init does not edit; init changed nothing', {
      fix: `Add to your simple-git-hooks config: "pre-commit": "… && ${COMMANDS['pre-commit']}", "pre-push": "${COMMANDS['pre-push']}", then run \`npx simple-git-hooks\`.`,
    });
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new ModelgovError('CONFIG_INVALID', 'the simple-git-hooks config is not an object; init changed nothing', { fix: 'Fix it, then run `modelgov init` again.' });
  const added: string[] = [];
  for (const hook of ['pre-commit', 'pre-push'] as const) {
    const current = config[hook];
    if (typeof current === 'string' && /\bmodelgov\s+hook\s+pre-(commit|push)\b/.test(current)) continue;
    config[hook] = typeof current === 'string' && current.trim() ? `${current} && ${COMMANDS[hook]}` : COMMANDS[hook];
    added.push(hook);
  }
  if (added.length === 0) step.unchanged('simple-git-hooks (modelgov in pre-commit and pre-push)');
  else {
    save(added.join(', '));
    step.note('run `npx simple-git-hooks` to apply the changed hooks.');
  }
}
