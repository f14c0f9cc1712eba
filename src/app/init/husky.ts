import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gitMaybe } from '../../git/git.js';
import type { InitStep } from './init-context.js';
import { packageRoot } from '../../util/package-root.js';
import { eolOf, type PackageJson } from './package-json.js';

/**
 * husky: the hook scripts `.husky/pre-commit` and `.husky/pre-push` (created from hooks/, or the
 * missing commands appended to the repository's own) and activation. No lint-staged: the
 * pre-commit hook lints staged model names itself (once per commit), and lint-staged's runner
 * alone costs ~3 node starts on every commit; a repository's own lint-staged line stays.
 *
 * Activation: husky 9 activates hooks by pointing core.hooksPath at `.husky/_` when its `prepare`
 * script runs (on `npm install`). init adds `"prepare": "husky"` when there is no prepare script
 * and runs husky itself when it is already installed. Only when husky is not going to run (the
 * repo's own prepare script does not call it) does init set `core.hooksPath=.husky` itself; the
 * hook scripts put node_modules/.bin on PATH, so they work without husky's wrapper too.
 */

/** Plans every husky file. Returns whether husky's prepare script will activate the hooks. */
export function planHusky(step: InitStep, pkg: PackageJson): { huskyWillRun: boolean } {
  pkg.ensureDevDependencies(['modelgov', 'husky']);
  if (pkg.value.scripts?.prepare === undefined) {
    pkg.value.scripts = { ...(pkg.value.scripts ?? {}), prepare: 'husky' };
    pkg.changes.push('scripts.prepare');
  }
  const huskyWillRun = /\bhusky\b/.test(String(pkg.value.scripts?.prepare ?? ''));


  const templates = join(packageRoot(), 'hooks');
  planHook(step, join(step.root, '.husky', 'pre-commit'), join(templates, 'pre-commit'), [{ test: /\bmodelgov\s+hook\s+pre-commit\b/, line: 'modelgov hook pre-commit "$@"' }]);
  planHook(step, join(step.root, '.husky', 'pre-push'), join(templates, 'pre-push'), [{ test: /\bmodelgov\s+hook\s+pre-push\b/, line: 'modelgov hook pre-push "$@"' }]);
  return { huskyWillRun };
}

/** Creates a hook from its template, or appends the commands an existing hook lacks. */
function planHook(step: InitStep, file: string, template: string, needs: { test: RegExp; line: string }[]): void {
  const name = `.husky/${basename(file)}`;
  const text = step.pending.read(file);
  if (text === undefined) {
    step.pending.write(file, readFileSync(template, 'utf8'), { executable: true });
    return step.changed(name);
  }
  const add = needs.filter((n) => !n.test.test(text)).map((n) => n.line);
  const executable = existsSync(file) && (statSync(file).mode & 0o111) !== 0;
  if (add.length === 0 && executable) return step.unchanged(name);
  let next = text;
  if (add.length > 0) {
    const eol = eolOf(text);
    const sep = text.length === 0 || /(\r\n|\n|\r)$/.test(text) ? '' : eol;
    // Without husky's wrapper (core.hooksPath=.husky) nothing else puts the tools on PATH.
    const path = text.includes('node_modules/.bin') ? [] : ['export PATH="node_modules/.bin:$PATH"'];
    next = text + sep + ['# added by `modelgov init`', ...path, ...add].join(eol) + eol;
  }
  step.pending.write(file, next, { executable: true });
  step.changed(`${name} (${[...add, ...(executable ? [] : ['made executable'])].join(', ')})`);
}

/** After the files are written (and npm install ran): make git run the husky hooks. */
export async function activateHusky(step: InitStep, env: NodeJS.ProcessEnv, huskyWillRun: boolean, huskyInstalled: boolean): Promise<void> {
  const { root } = step;
  const hooksPath = await gitMaybe(root, ['config', '--end-of-options', 'core.hooksPath']);
  if (huskyWillRun) {
    if (!huskyInstalled) {
      step.note('run `npm install`: it installs modelgov and husky, and its prepare script (husky) activates the hooks.');
    } else if (hooksPath === '.husky/_' && existsSync(join(root, '.husky', '_', 'h'))) {
      step.unchanged('hooks active (core.hooksPath=.husky/_)');
    } else {
      const r = spawnSync(join(root, 'node_modules', '.bin', 'husky'), [], { cwd: root, env: { ...env, HUSKY: '' }, encoding: 'utf8', shell: process.platform === 'win32' });
      if (r.status !== 0 || (r.stdout ?? '').trim()) {
        step.note(`husky could not activate the hooks: ${(r.stdout || r.stderr || `exit ${r.status}`).trim()}; run \`npx husky\` in ${root}.`);
      } else step.changed(`hooks activated by husky (core.hooksPath=.husky/_${hooksPath && hooksPath !== '.husky/_' ? `, was ${hooksPath}` : ''})`);
    }
  } else if (hooksPath === '.husky') {
    step.unchanged('hooks active (core.hooksPath=.husky)');
  } else {
    await gitMaybe(root, ['config', '--end-of-options', 'core.hooksPath', '.husky']);
    step.changed(`core.hooksPath=.husky (your prepare script does not run husky${hooksPath ? `; was ${hooksPath}` : ''})`);
  }
}
