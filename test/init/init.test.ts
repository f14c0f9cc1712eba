import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { copyExample, REPO_ROOT, runGit } from '../helpers/example.js';

const OWN = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));

/** Every file outside .git (bytes and mode) plus the repo's local git config. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.name === '.git') continue;
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${(statSync(p).mode & 0o777).toString(8)} ${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir);
  out['<git config>'] = spawnSync('git', ['config', '--local', '--list'], { cwd: dir, encoding: 'utf8' }).stdout;
  return out;
}

function newRepo(name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'modelgov-init-')), name);
  mkdirSync(dir);
  runGit(dir, 'init', '-q', '-b', 'main');
  return dir;
}

describe('modelgov init', () => {
  it('in the example (config present, no package.json): hooks, pinned tools, no lint-staged; a second run changes nothing', async () => {
    const dir = copyExample();
    const first = await run(dir, ['init', '--no-install']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('unchanged: modelgov.config.json');
    expect(first.stdout).toContain('unchanged: CLAUDE.md (markers of catboost_v9)');
    expect(first.stdout).toMatch(/next: run `npm install`/);

    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.private).toBe(true);
    expect(pkg.devDependencies).toEqual({ modelgov: OWN.version, husky: OWN.devDependencies.husky });
    expect(pkg.scripts).toEqual({ prepare: 'husky' });
    // Names are linted once, by the hook: no lint-staged runner (~3 node starts) on every commit.
    expect(pkg['lint-staged']).toBeUndefined();

    const preCommit = readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8');
    expect(preCommit).toMatch(/^modelgov hook pre-commit "\$@"$/m);
    expect(preCommit).toMatch(/^ {2}if git diff --cached --quiet .* -- \$\(cat "\$watched"\); then exit 0; fi$/m);
    expect(preCommit).not.toMatch(/^[^#]*lint-staged/m);
    expect(preCommit).not.toMatch(/^[^#]*npx/m);
    expect(readFileSync(join(dir, '.husky', 'pre-push'), 'utf8')).toMatch(/^modelgov hook pre-push "\$@"$/m);
    expect(statSync(join(dir, '.husky', 'pre-commit')).mode & 0o111).toBe(0o111);
    // The example ships its .gitignore and .gitattributes; init adds only what is missing.
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('.modelgov/\nnode_modules/\n');
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toBe('models/catboost_v9/history.jsonl merge=union\n');
    // husky is not installed and npm did not run: core.hooksPath is left to husky's prepare script.
    expect(spawnSync('git', ['config', 'core.hooksPath'], { cwd: dir }).status).toBe(1);

    const before = snapshot(dir);
    const second = await run(dir, ['init', '--no-install']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('nothing to do');
    expect(snapshot(dir)).toEqual(before);
  });

  it('in a Python repo without package.json or config: derives everything, keeps CRLF and the BOM of CLAUDE.md; idempotent', async () => {
    const dir = newRepo('My-Py Repo');
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "mypy-repo"\n');
    writeFileSync(join(dir, 'train.py'), 'print("train")\n');
    const claude = '\uFEFF# Notes\r\n\r\nUse `uv run train.py`.\r\n';
    writeFileSync(join(dir, 'CLAUDE.md'), claude);

    const r = await run(dir, ['init', '--no-install']);
    expect(r.code, r.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(dir, 'modelgov.config.json'), 'utf8'));
    expect(config.systems).toEqual([{ id: 'my_py_repo', manifest: 'models/my_py_repo/manifest.json', artifacts: { extensions: ['.cbm'] }, docs: ['CLAUDE.md'] }]);
    expect(config.registry).toBe('duckdb:.modelgov/registry.duckdb');
    expect(r.stdout).toContain('next: create the manifest models/my_py_repo/manifest.json');

    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe(
      claude + '\r\n## ML Model - my_py_repo\r\n<!-- modelgov:start my_py_repo -->\r\n<!-- modelgov:end my_py_repo -->\r\n',
    );
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'my-py-repo', private: true, scripts: { prepare: 'husky' } });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['husky', 'modelgov']);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n.modelgov/\n');
    // The audit history beside the manifest merges as a union (two branches that promote merge cleanly).
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toBe('models/my_py_repo/history.jsonl merge=union\n');
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe('[project]\nname = "mypy-repo"\n');

    const before = snapshot(dir);
    expect((await run(dir, ['init', '--no-install'])).code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it('flags: --system, --manifest and --docs (a missing docs file is created with the markers)', async () => {
    const dir = newRepo('ignored-name');
    const r = await run(dir, ['--json', 'init', '--no-install', '--system', 'churn_v2', '--manifest', 'ml/churn/manifest.json', '--docs', 'AGENTS.md']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.changed).toContain('modelgov.config.json (system churn_v2)');
    const config = JSON.parse(readFileSync(join(dir, 'modelgov.config.json'), 'utf8'));
    expect(config.systems[0]).toMatchObject({ id: 'churn_v2', manifest: 'ml/churn/manifest.json', docs: ['AGENTS.md'] });
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).toBe('## ML Model - churn_v2\n<!-- modelgov:start churn_v2 -->\n<!-- modelgov:end churn_v2 -->\n');

    const bad = await run(newRepo('x'), ['init', '--no-install', '--system', 'Churn-V2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--system churn_v2');
  });

  it('in a JS repo: keeps its formatting, appends to its hooks, leaves its .lintstagedrc.json alone, and sets core.hooksPath when its prepare script will not run husky', async () => {
    const dir = newRepo('webapp');
    const pkgText = '{\n\t"name": "webapp",\n\t"scripts": {\n\t\t"prepare": "npm run build"\n\t},\n\t"devDependencies": {\n\t\t"husky": "^9.0.0"\n\t}\n}\n';
    writeFileSync(join(dir, 'package.json'), pkgText);
    writeFileSync(join(dir, '.lintstagedrc.json'), '{\n  "*.ts": "eslint"\n}\n');
    mkdirSync(join(dir, '.husky'));
    writeFileSync(join(dir, '.husky', 'pre-commit'), 'npm test\n');
    writeFileSync(join(dir, '.gitignore'), 'node_modules\ndist\n');

    const r = await run(dir, ['init', '--no-install', '--system', 'web']);
    expect(r.code, r.stderr).toBe(0);
    const pkg = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(pkg).toContain('\n\t"devDependencies": {\n\t\t"husky": "^9.0.0",\n\t\t"modelgov": ');
    expect(JSON.parse(pkg).scripts).toEqual({ prepare: 'npm run build' });
    expect(JSON.parse(pkg)['lint-staged']).toBeUndefined();
    expect(readFileSync(join(dir, '.lintstagedrc.json'), 'utf8')).toBe('{\n  "*.ts": "eslint"\n}\n');
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toBe('npm test\n# added by `modelgov init`\nexport PATH="node_modules/.bin:$PATH"\nmodelgov hook pre-commit "$@"\n');
    expect(statSync(join(dir, '.husky', 'pre-commit')).mode & 0o100).toBe(0o100);
    expect(runGit(dir, 'config', 'core.hooksPath')).toBe('.husky');
    // Its own .gitignore already ignores node_modules; only the local registry is added.
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules\ndist\n.modelgov/\n');

    const before = snapshot(dir);
    const again = await run(dir, ['init', '--no-install']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('unchanged: hooks active (core.hooksPath=.husky)');
    expect(snapshot(dir)).toEqual(before);
  });

  it('outside a git repo: exit 2 telling the user to run git init', async () => {
    const r = await run(mkdtempSync(join(tmpdir(), 'modelgov-nogit-')), ['init', '--no-install']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('git init');
  });
});
