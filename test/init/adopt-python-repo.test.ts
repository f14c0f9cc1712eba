import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../helpers/cli.js';
import { runGit } from '../helpers/example.js';
import { newRepo, snapshot } from '../helpers/repo-snapshot.js';

// A repository shaped like the one modelgov was adopted in: Python, no package.json, the
// pre-commit framework with its own hooks (aligned `-   repo:` style, comments), model weights
// under an ignored models/, a CLAUDE.md that already has its model section, deploy ignore files.
const PRE_COMMIT_CONFIG = `# See https://pre-commit.com for more information
default_language_version:
    python: python3.11
exclude: '^(docs/legacy|vendor)/'
repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.5.0
    hooks:
    -   id: trailing-whitespace
    -   id: end-of-file-fixer
        exclude: "\\\\.md$"   # keep generated markdown
    -   id: check-yaml
        args: [--allow-multiple-documents]
-   repo: https://github.com/psf/black
    rev: 24.1.1
    hooks:
    -   id: black

# local checks
-   repo: local
    hooks:
    -   id: no-secrets
        name: no secrets
        entry: ./bin/check-secrets.sh
        language: script
        stages: [pre-commit, manual]
`;
const CLAUDE = `# Project notes

Use \`uv run\` for everything.

## Data pipeline

Scrapers feed BigQuery.

## ML Model - CatBoost V9 [Keyword: MODEL]

The production model is chosen by promote.

## Deployment

Cloud Run, region us-west2.
`;
const GITIGNORE = '__pycache__/\nmodels/\n.venv/\n';

function pythonRepo(): string {
  const dir = newRepo('nba-props');
  writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "nba-props"\n');
  writeFileSync(join(dir, '.pre-commit-config.yaml'), PRE_COMMIT_CONFIG);
  writeFileSync(join(dir, 'CLAUDE.md'), CLAUDE);
  writeFileSync(join(dir, '.gitignore'), GITIGNORE);
  writeFileSync(join(dir, '.gcloudignore'), '.git\n__pycache__/\n');
  writeFileSync(join(dir, '.dockerignore'), '.git\n');
  runGit(dir, 'add', '-A');
  runGit(dir, 'commit', '-qm', 'python repo');
  return dir;
}

const HOOKS_REPO = 'https://github.com/acme/modelgov';
const init = async (dir: string, ...args: string[]) => await run(dir, ['init', '--no-install', ...args]);

/** `next` is `original` with only whole lines added: removing `added` gives back every byte. */
function onlyAdded(original: string, next: string): string[] {
  const a = original.split('\n');
  const b = next.split('\n');
  const added: string[] = [];
  let i = 0;
  for (const line of b) {
    if (i < a.length && line === a[i]) i++;
    else added.push(line);
  }
  expect(i, `every original line kept in order:\n${next}`).toBe(a.length);
  return added;
}

function preCommitVersion(): string | undefined {
  const r = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

describe('init adopts a Python repository that uses the pre-commit framework', () => {
  it('adds an entry to .pre-commit-config.yaml (comments and style kept), never takes core.hooksPath, avoids the ignored models/, uses the existing model heading; a second init changes nothing', async () => {
    const dir = pythonRepo();

    // Without knowing where the team gets modelgov from, it cannot write the entry: exit 2, nothing changed.
    const before = snapshot(dir);
    const blind = await init(dir, '--system', 'catboost_v9');
    expect(blind.code, blind.stdout).toBe(2);
    expect(blind.stderr).toContain('--hooks-repo');
    expect(snapshot(dir)).toEqual(before);

    const r = await init(dir, '--system', 'catboost_v9', '--hooks-repo', HOOKS_REPO);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hooks:     pre-commit (found .pre-commit-config.yaml)');

    // The pre-commit framework keeps its hooks: core.hooksPath unset, no husky, no package.json.
    expect(spawnSync('git', ['config', 'core.hooksPath'], { cwd: dir }).status).toBe(1);
    for (const f of ['package.json', '.husky', 'node_modules', '.lintstagedrc.json']) expect(existsSync(join(dir, f)), f).toBe(false);

    const yamlText = readFileSync(join(dir, '.pre-commit-config.yaml'), 'utf8');
    expect(onlyAdded(PRE_COMMIT_CONFIG, yamlText)).toEqual([
      'default_install_hook_types: [pre-commit, pre-push]',
      `-   repo: ${HOOKS_REPO}`,
      '    rev: v' + JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
      '    hooks:',
      '    -   id: modelgov-docs',
      '    -   id: modelgov-drift',
    ]);
    const cfg = parse(yamlText);
    expect(cfg.repos.map((x: { repo: string }) => x.repo)).toEqual(['https://github.com/pre-commit/pre-commit-hooks', 'https://github.com/psf/black', 'local', HOOKS_REPO]);
    expect(cfg.repos[3].hooks).toEqual([{ id: 'modelgov-docs' }, { id: 'modelgov-drift' }]);

    // models/ is ignored: the manifest goes elsewhere, and init says which rule.
    const config = JSON.parse(readFileSync(join(dir, 'modelgov.config.json'), 'utf8'));
    expect(config.systems[0].manifest).toBe('manifests/catboost_v9/manifest.json');
    expect(r.stdout).toContain('git ignores models/catboost_v9/manifest.json (.gitignore:2: models/)');

    // The markers go into the existing model section, before the next heading; nothing else moves.
    const claude = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    expect(claude).toBe(
      CLAUDE.replace(
        '## Deployment',
        '<!-- modelgov:start catboost_v9 -->\n<!-- modelgov:end catboost_v9 -->\n\n## Deployment',
      ),
    );
    expect(r.stdout).toContain('markers of catboost_v9 at the end of the section "ML Model - CatBoost V9 [Keyword: MODEL]"');
    expect(claude).not.toContain('## ML Model - catboost_v9');

    // The local registry stays out of git; no node_modules here, so the deploy ignores stay as they were.
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(GITIGNORE + '.modelgov/\n');
    expect(readFileSync(join(dir, '.gcloudignore'), 'utf8')).toBe('.git\n__pycache__/\n');
    expect(r.stdout).toContain('next: run `pre-commit install`');

    const after = snapshot(dir);
    const again = await init(dir, '--system', 'catboost_v9', '--hooks-repo', HOOKS_REPO);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    expect(again.stdout).toContain('unchanged: .pre-commit-config.yaml');
    expect(snapshot(dir)).toEqual(after);

    // The real pre-commit tool accepts the result (it refused while core.hooksPath was taken).
    if (preCommitVersion()) {
      const install = spawnSync('pre-commit', ['install'], { cwd: dir, encoding: 'utf8' });
      expect(install.status, install.stdout + install.stderr).toBe(0);
      expect(install.stdout).toContain('pre-commit installed at .git/hooks/pre-commit');
      expect(install.stdout).toContain('pre-commit installed at .git/hooks/pre-push');
      const validate = spawnSync('pre-commit', ['validate-config', '.pre-commit-config.yaml'], { cwd: dir, encoding: 'utf8' });
      expect(validate.status, validate.stdout + validate.stderr).toBe(0);
    }
  });

  it('an entry that lacks one hook gets it; a file it cannot safely edit is refused with the lines to add', async () => {
    const dir = pythonRepo();
    const partial = `repos:\n  - repo: ${HOOKS_REPO}\n    rev: v0.0.9  # pinned\n    hooks:\n      - id: modelgov-docs\n`;
    writeFileSync(join(dir, '.pre-commit-config.yaml'), partial);
    const r = await init(dir, '--system', 'catboost_v9');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, '.pre-commit-config.yaml'), 'utf8')).toBe(
      `default_install_hook_types: [pre-commit, pre-push]\n${partial}      - id: modelgov-drift\n`,
    );

    const flow = newRepo('flow');
    writeFileSync(join(flow, '.pre-commit-config.yaml'), 'repos: []\n');
    const before = snapshot(flow);
    const refused = await init(flow, '--hooks-repo', HOOKS_REPO);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('.pre-commit-config.yaml');
    expect(refused.stderr).toContain('- id: modelgov-drift');
    expect(snapshot(flow)).toEqual(before);
  });

  it('--hooks husky takes over on purpose, says what stops running, and adds node_modules/ to .gitignore, .gcloudignore and .dockerignore', async () => {
    const dir = pythonRepo();
    const r = await init(dir, '--system', 'catboost_v9', '--hooks', 'husky');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hooks:     husky (--hooks)');
    expect(r.stdout).toMatch(/husky now owns core.hooksPath, so the pre-commit hooks \(.pre-commit-config.yaml\) no longer run/);
    expect(readFileSync(join(dir, '.pre-commit-config.yaml'), 'utf8')).toBe(PRE_COMMIT_CONFIG);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(GITIGNORE + 'node_modules/\n.modelgov/\n');
    expect(readFileSync(join(dir, '.gcloudignore'), 'utf8')).toBe('.git\n__pycache__/\nnode_modules/\n');
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('.git\nnode_modules\n');
    expect(r.stdout).toContain('set up:    .gcloudignore (node_modules/: keeps the dev dependencies out of deploy uploads)');
    expect(r.stdout).toContain('set up:    .dockerignore (node_modules: keeps the dev dependencies out of deploy uploads)');
  });
});

describe('init never switches another hook setup off', () => {
  it('hand-written .git/hooks: exit 2 before changing anything, naming them and --hooks husky', async () => {
    const dir = newRepo('handmade');
    writeFileSync(join(dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\n./scripts/check.sh\n');
    chmodSync(join(dir, '.git', 'hooks', 'pre-commit'), 0o755);
    const before = snapshot(dir);
    const r = await init(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hand-written hooks');
    expect(r.stderr).toContain('pre-commit');
    expect(r.stderr).toContain('--hooks husky');
    expect(snapshot(dir)).toEqual(before);

    const taken = await init(dir, '--hooks', 'husky');
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stdout).toContain('no longer run');
  });

  it('a foreign core.hooksPath: exit 2, nothing changed', async () => {
    const dir = newRepo('githooks');
    runGit(dir, 'config', 'core.hooksPath', '.githooks');
    const before = snapshot(dir);
    const r = await init(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('core.hooksPath is set to .githooks');
    expect(snapshot(dir)).toEqual(before);
  });

  it('lefthook: a modelgov command in lefthook.yml (comments and indentation kept), package.json gets only modelgov; idempotent', async () => {
    const dir = newRepo('lefty');
    const lefthook = '# lefthook config\npre-commit:\n    parallel: true\n    commands:\n        ruff:\n            glob: "*.py"\n            run: ruff check {staged_files}  # fast\n\noutput:\n    - summary\n';
    writeFileSync(join(dir, 'lefthook.yml'), lefthook);
    const r = await init(dir, '--system', 'churn');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hooks:     lefthook (found lefthook.yml)');
    const text = readFileSync(join(dir, 'lefthook.yml'), 'utf8');
    expect(onlyAdded(lefthook, text)).toEqual([
      '        modelgov:',
      '            run: node_modules/.bin/modelgov hook pre-commit',
      'pre-push:',
      '  commands:',
      '    modelgov:',
      '      run: node_modules/.bin/modelgov hook pre-push',
      '      use_stdin: true',
    ]);
    expect(parse(text)['pre-commit'].commands.modelgov.run).toBe('node_modules/.bin/modelgov hook pre-commit');
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies)).toEqual(['modelgov']);
    expect(existsSync(join(dir, '.husky'))).toBe(false);
    expect(spawnSync('git', ['config', 'core.hooksPath'], { cwd: dir }).status).toBe(1);
    const after = snapshot(dir);
    expect((await init(dir)).code).toBe(0);
    expect(snapshot(dir)).toEqual(after);
  });

  it('simple-git-hooks: appends to its commands in package.json', async () => {
    const dir = newRepo('sgh');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'sgh', 'simple-git-hooks': { 'pre-commit': 'npx lint-staged' } }, null, 2) + '\n');
    const r = await init(dir, '--system', 'sgh');
    expect(r.code, r.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg['simple-git-hooks']).toEqual({
      'pre-commit': 'npx lint-staged && ./node_modules/.bin/modelgov hook pre-commit',
      'pre-push': './node_modules/.bin/modelgov hook pre-push',
    });
    expect(r.stdout).toContain('npx simple-git-hooks');
    expect(existsSync(join(dir, '.husky'))).toBe(false);
  });
});

describe('init checks what it is given', () => {
  it('a given manifest path that git ignores: exit 2 naming the rule; nothing changed', async () => {
    const dir = pythonRepo();
    const before = snapshot(dir);
    const r = await init(dir, '--hooks-repo', HOOKS_REPO, '--manifest', 'models/v9/manifest.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('models/v9/manifest.json (.gitignore:2: models/)');
    expect(snapshot(dir)).toEqual(before);
  });

  it('--system is validated as an id also when the config exists', async () => {
    const dir = pythonRepo();
    writeFileSync(join(dir, 'modelgov.config.json'), JSON.stringify({ registry: 'duckdb:.modelgov/registry.duckdb', systems: [{ id: 'catboost_v9', manifest: 'manifests/v9.json' }] }));
    const before = snapshot(dir);
    const r = await init(dir, '--system', 'CatBoost V9', '--hooks-repo', HOOKS_REPO);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--system catboost_v9');
    expect(snapshot(dir)).toEqual(before);
  });

  it('--docs-heading picks the section; an unknown heading is exit 2 listing the headings', async () => {
    const dir = pythonRepo();
    const before = snapshot(dir);
    const bad = await init(dir, '--system', 'catboost_v9', '--hooks-repo', HOOKS_REPO, '--docs-heading', 'Models');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"ML Model - CatBoost V9 [Keyword: MODEL]"');
    expect(snapshot(dir)).toEqual(before);

    const ok = await init(dir, '--system', 'catboost_v9', '--hooks-repo', HOOKS_REPO, '--docs-heading', '## Deployment');
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe(CLAUDE + '\n<!-- modelgov:start catboost_v9 -->\n<!-- modelgov:end catboost_v9 -->\n');
  });
});

describe('a second init after the config changed', () => {
  // modelgov no longer installs lint-staged (the pre-commit hook lints staged names itself), so
  // there is no glob to follow: a changed artifacts.extensions leaves package.json alone.
  it('adds no lint-staged entry, before or after artifacts.extensions changed', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'modelgov-init-')), 'x');
    cpSync(newRepo('glob'), dir, { recursive: true });
    expect((await init(dir, '--system', 'lgbm')).code).toBe(0);
    const pkgBefore = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(JSON.parse(pkgBefore)['lint-staged']).toBeUndefined();
    expect(JSON.parse(pkgBefore).devDependencies['lint-staged']).toBeUndefined();
    const configFile = join(dir, 'modelgov.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.systems[0].artifacts.extensions = ['.cbm', '.txt'];
    writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
    const r = await init(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(pkgBefore);
  });
});
