import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gitMaybe } from '../../git/git.js';
import type { InitStep } from './init-context.js';
import { eolOf, jsonLike, packageRoot, parseJsonFile, type PackageJson } from './package-json.js';

/**
 * husky: the hook scripts `.husky/pre-commit` and `.husky/pre-push` (created from hooks/, or the
 * missing commands appended to the repository's own), the lint-staged entry for model file names,
 * and activation.
 *
 * Activation: husky 9 activates hooks by pointing core.hooksPath at `.husky/_` when its `prepare`
 * script runs (on `npm install`). init adds `"prepare": "husky"` when there is no prepare script
 * and runs husky itself when it is already installed. Only when husky is not going to run (the
 * repo's own prepare script does not call it) does init set `core.hooksPath=.husky` itself; the
 * hook scripts put node_modules/.bin on PATH, so they work without husky's wrapper too.
 */

const LINT_STAGED_COMMAND = 'modelgov lint-names';
const OTHER_LINT_STAGED_CONFIGS = [
  '.lintstagedrc',
  '.lintstagedrc.yaml',
  '.lintstagedrc.yml',
  '.lintstagedrc.js',
  '.lintstagedrc.mjs',
  '.lintstagedrc.cjs',
  'lint-staged.config.js',
  'lint-staged.config.mjs',
  'lint-staged.config.cjs',
  'lint-staged.config.ts',
  'lint-staged.config.mts',
  'lint-staged.config.cts',
];

/** The lint-staged glob for the configured model extensions: `*.cbm`, or `*.{cbm,pkl}`. */
export function modelGlob(exts: string[]): string {
  const bare = exts.map((e) => e.replace(/^\./, ''));
  return bare.length === 1 ? `*.${bare[0]}` : `*.{${bare.join(',')}}`;
}

const isOurs = (c: unknown) => typeof c === 'string' && c.trim().startsWith(LINT_STAGED_COMMAND);

/**
 * Puts `modelgov lint-names` under `glob` in a lint-staged config object. An entry that an
 * earlier init wrote under another glob (the configured extensions changed since) moves to the
 * new one, so the entry follows the config. Returns what changed, or undefined.
 */
export function syncLintStagedEntry(config: Record<string, unknown>, glob: string): string | undefined {
  let moved: string | undefined;
  for (const [key, value] of Object.entries(config)) {
    const commands = Array.isArray(value) ? value : [value];
    if (!commands.some(isOurs)) continue;
    if (key === glob) return undefined;
    const rest = commands.filter((c) => !isOurs(c));
    if (rest.length === 0) delete config[key];
    else config[key] = rest.length === 1 && !Array.isArray(value) ? rest[0] : rest;
    moved = key;
  }
  const current = config[glob];
  if (current === undefined) config[glob] = LINT_STAGED_COMMAND;
  else if (Array.isArray(current)) current.push(LINT_STAGED_COMMAND);
  else config[glob] = [current, LINT_STAGED_COMMAND];
  return moved ? `lint-staged "${glob}" (was "${moved}")` : `lint-staged "${glob}"`;
}

/** Plans every husky file. Returns whether husky's prepare script will activate the hooks. */
export function planHusky(step: InitStep, pkg: PackageJson, glob: string): { huskyWillRun: boolean } {
  pkg.ensureDevDependencies(['modelgov', 'husky', 'lint-staged']);
  if (pkg.value.scripts?.prepare === undefined) {
    pkg.value.scripts = { ...(pkg.value.scripts ?? {}), prepare: 'husky' };
    pkg.changes.push('scripts.prepare');
  }
  const huskyWillRun = /\bhusky\b/.test(String(pkg.value.scripts?.prepare ?? ''));

  const lintStagedJson = join(step.root, '.lintstagedrc.json');
  const other = OTHER_LINT_STAGED_CONFIGS.find((f) => existsSync(join(step.root, f)));
  if (step.pending.exists(lintStagedJson)) {
    const text = step.pending.read(lintStagedJson)!;
    const config = parseJsonFile('.lintstagedrc.json', text);
    const what = syncLintStagedEntry(config, glob);
    if (what) {
      step.pending.write(lintStagedJson, jsonLike(text, config));
      step.changed(`.lintstagedrc.json (${what.replace(/^lint-staged /, '')}: "${LINT_STAGED_COMMAND}")`);
    } else step.unchanged(`.lintstagedrc.json ("${glob}": "${LINT_STAGED_COMMAND}")`);
  } else if (pkg.value['lint-staged'] === undefined && other) {
    if (readFileSync(join(step.root, other), 'utf8').includes(LINT_STAGED_COMMAND)) step.unchanged(other);
    else step.note(`add "${glob}": "${LINT_STAGED_COMMAND}" to ${other} (init edits only package.json and .lintstagedrc.json).`);
  } else {
    if (pkg.value['lint-staged'] === undefined) pkg.value['lint-staged'] = {};
    const what = syncLintStagedEntry(pkg.value['lint-staged'], glob);
    if (what) pkg.changes.push(what);
  }

  const templates = join(packageRoot(), 'hooks');
  planHook(step, join(step.root, '.husky', 'pre-commit'), join(templates, 'pre-commit'), [
    { test: /(^|[\s;&|(])(npx\s+(--no(-install)?\s+)?)?lint-staged\b/m, line: 'lint-staged' },
    { test: /\bmodelgov\s+hook\s+pre-commit\b/, line: 'modelgov hook pre-commit' },
  ]);
  planHook(step, join(step.root, '.husky', 'pre-push'), join(templates, 'pre-push'), [{ test: /\bmodelgov\s+hook\s+pre-push\b/, line: 'modelgov hook pre-push' }]);
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
      step.note('run `npm install`: it installs modelgov, husky and lint-staged, and its prepare script (husky) activates the hooks.');
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
