import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { exampleManifest, writeJson } from '../helpers/example.js';
import { newRepo } from '../helpers/repo-snapshot.js';
import { git, localClone, NPM_FLAGS, preCommitTool, sh, TAG, VERSION } from './local-clone.js';

// The three ways into a team's repository that the README offers, each from a local clone (no
// network but the npm registry and, for pre-commit itself, the Python package index). Slow by
// nature (real npm installs of DuckDB and the Google clients): long timeouts, no timing asserts.
const LONG = 900_000;
let clone: string;

beforeAll(() => {
  clone = localClone();
}, LONG);

function consumer(name: string): string {
  const dir = newRepo(name);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0', private: true }, null, 2) + '\n');
  return dir;
}

describe('install routes (from a local clone)', () => {
  it('the release tag carries dist/ (JS and .d.ts); the branch does not', () => {
    const tagged = git(clone, 'ls-tree', '-r', '--name-only', TAG).split('\n');
    expect(tagged).toContain('dist/cli.js');
    expect(tagged).toContain('dist/types/index.d.ts');
    expect(git(clone, 'show', `${TAG}:dist/RELEASE`)).toBe(TAG);
    expect(existsSync(join(clone, 'dist', 'RELEASE')), 'the marker never lands in a work tree').toBe(false);
    expect(git(clone, 'ls-tree', '-r', '--name-only', 'main').split('\n').filter((f) => f.startsWith('dist/'))).toEqual([]);
    expect(git(clone, 'rev-parse', `${TAG}^`)).toBe(git(clone, 'rev-parse', 'main'));
    // Nothing to build from the tag: no prepare, so npm fetches no devDependencies to run one.
    const taggedPkg = JSON.parse(git(clone, 'show', `${TAG}:package.json`));
    const branchPkg = JSON.parse(git(clone, 'show', 'main:package.json'));
    expect(taggedPkg.scripts.prepare).toBeUndefined();
    expect(taggedPkg.devDependencies).toBeUndefined();
    expect({ ...taggedPkg, scripts: undefined }).toEqual({ ...branchPkg, scripts: undefined, devDependencies: undefined });
    expect(branchPkg.scripts.prepare).toBe('node scripts/prepare.mjs');
  });

  it('git dependency: npm i -D git+file://…#tag installs a working CLI with types and LICENSE', () => {
    const dir = consumer('gitdep');
    const r = sh(dir, 'npm', ['install', '-D', `git+file://${clone}#${TAG}`, ...NPM_FLAGS]);
    expect(r.status, r.out).toBe(0);
    const v = sh(dir, join(dir, 'node_modules', '.bin', 'modelgov'), ['--version']);
    expect(v.out.trim()).toBe(VERSION);
    const pkg = join(dir, 'node_modules', 'modelgov');
    expect(existsSync(join(pkg, 'dist', 'types', 'index.d.ts'))).toBe(true);
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toContain('MIT License');
    // The README's next step runs from that install.
    const init = sh(dir, 'npx', ['modelgov', 'init', '--no-install']);
    expect(init.status, init.out).toBe(0);
    expect(init.out).toContain('hooks:     husky (no hook manager found)');
    // Editors validate the new config: its $schema resolves to the installed package's schema.
    const schema = JSON.parse(readFileSync(join(dir, 'modelgov.config.json'), 'utf8')).$schema;
    expect(schema).toBe('./node_modules/modelgov/schema/config.schema.json');
    expect(existsSync(join(dir, schema))).toBe(true);
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
    // A commit, not a moving ref: every teammate's `npm ci` gets the same modelgov.
    expect(lock.packages['node_modules/modelgov'].resolved).toBe(`git+file://${clone}#${git(clone, 'rev-parse', `${TAG}^{commit}`)}`);
  }, LONG);

  it('tarball: npm pack carries dist, .d.ts, LICENSE and a prepare that runs from it; a vendored tarball installs for a teammate with npm ci', () => {
    const dir = consumer('tarball');
    mkdirSync(join(dir, 'vendor'));
    const pack = sh(clone, 'npm', ['pack', '--pack-destination', join(dir, 'vendor'), '--json', ...NPM_FLAGS]);
    expect(pack.status, pack.out).toBe(0);
    const tgz = `modelgov-${VERSION}.tgz`;
    const listing = sh(dir, 'tar', ['tzf', join('vendor', tgz)]).out.split('\n');
    for (const f of ['package/LICENSE', 'package/dist/cli.js', 'package/dist/types/index.d.ts', 'package/scripts/prepare.mjs', 'package/bin/modelgov.js', 'package/.pre-commit-hooks.yaml']) expect(listing, f).toContain(f);
    expect(listing.filter((f) => f.startsWith('package/src/'))).toEqual([]);

    // The packed package.json's prepare runs where the tarball is unpacked (no src/, no devDependencies).
    const unpacked = mkdtempSync(join(tmpdir(), 'modelgov-unpacked-'));
    expect(sh(unpacked, 'tar', ['xzf', join(dir, 'vendor', tgz)]).status).toBe(0);
    const packed = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8'));
    expect(packed.types).toBe('dist/types/index.d.ts');
    expect(existsSync(join(unpacked, 'package', packed.types))).toBe(true);
    const prep = sh(join(unpacked, 'package'), 'npm', ['run', 'prepare', '--silent']);
    expect(prep.status, prep.out).toBe(0);

    const r = sh(dir, 'npm', ['install', '-D', `./vendor/${tgz}`, ...NPM_FLAGS]);
    expect(r.status, r.out).toBe(0);
    // A path inside the repository, so the lockfile resolves for everyone who clones it.
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies.modelgov).toBe(`file:vendor/${tgz}`);
    expect(JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages['node_modules/modelgov'].resolved).toBe(`file:vendor/${tgz}`);
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'vendor modelgov', '--no-verify');

    const teammate = join(mkdtempSync(join(tmpdir(), 'modelgov-teammate-')), 'repo');
    git(tmpdir(), 'clone', '-q', dir, teammate);
    const ci = sh(teammate, 'npm', ['ci', ...NPM_FLAGS]);
    expect(ci.status, ci.out).toBe(0);
    expect(sh(teammate, join(teammate, 'node_modules', '.bin', 'modelgov'), ['--version']).out.trim()).toBe(VERSION);
  }, LONG);
});

describe('the pre-commit framework route (language: node, no devDependencies)', () => {
  const tool = preCommitTool();
  const skip = 'skip' in tool ? tool.skip : undefined;
  it.skipIf(skip !== undefined)(`installs modelgov's hooks from a local clone into a Python repo; a commit and a push run through them${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const preCommit = (tool as { cmd: string }).cmd;
    const env = { PRE_COMMIT_HOME: mkdtempSync(join(tmpdir(), 'modelgov-pre-commit-home-')), MODELGOV_SKIP: '' };
    const dir = newRepo('py-service');
    const remote = join(mkdtempSync(join(tmpdir(), 'modelgov-remote-')), 'remote.git');
    git(tmpdir(), 'init', '-q', '--bare', remote);
    git(dir, 'remote', 'add', 'origin', remote);
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "py-service"\n');
    writeFileSync(join(dir, '.gitignore'), 'models/\n__pycache__/\n');
    // The repository's own hook keeps running beside modelgov's.
    writeFileSync(join(dir, '.pre-commit-config.yaml'), 'repos:\n  - repo: local\n    hooks:\n      - id: own-check\n        name: own check\n        entry: "true"\n        language: system\n        pass_filenames: false\n');
    writeFileSync(join(dir, 'CLAUDE.md'), '# Service\n\n## ML Model - CatBoost V9\n\nHand-written notes stay.\n');
    mkdirSync(join(dir, 'manifests'));
    const manifest = exampleManifest();
    writeJson(join(dir, 'manifests', 'catboost_v9.json'), manifest);

    // As the README says: init once from the tag with npx, no install into the repository.
    const init = sh(dir, 'npx', ['--yes', ...NPM_FLAGS, `git+file://${clone}#${TAG}`, 'init', '--system', 'catboost_v9', '--manifest', 'manifests/catboost_v9.json', '--hooks-repo', `file://${clone}`, '--hooks-rev', TAG]);
    expect(init.status, init.out).toBe(0);
    expect(init.out).toContain('hooks:     pre-commit (found .pre-commit-config.yaml)');
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
    // npx ran modelgov from its cache: a path there would hold on this machine only.
    expect(init.out).toContain('no "$schema"');
    // The example's artifacts keep their pre-convention names.
    const configFile = join(dir, 'modelgov.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.systems[0].artifacts.legacy = Object.values(manifest.models).map((m) => String(m.gcs_path).split('/').pop());
    writeJson(configFile, config);

    const install = sh(dir, preCommit, ['install'], env);
    expect(install.status, install.out).toBe(0);
    expect(install.out).toContain('.git/hooks/pre-push');

    git(dir, 'add', '-A');
    const commit = sh(dir, 'git', ['commit', '-m', 'adopt modelgov'], env);
    expect(commit.status, commit.out).toBe(0);
    expect(commit.out).toMatch(/own check\.+Passed/);
    expect(commit.out).toMatch(/modelgov \(docs sections, model file names\)\.+Passed/);
    // The hook generated the section in the committed blob; the hand-written text stayed.
    const committed = git(dir, 'show', 'HEAD:CLAUDE.md');
    expect(committed).toContain(manifest.production_model!);
    expect(committed).toContain('Hand-written notes stay.');
    expect(git(dir, 'status', '--porcelain')).toBe('');

    expect(cli(dir, ['sync']).code).toBe(0);
    const push = sh(dir, 'git', ['push', 'origin', 'main'], env);
    expect(push.status, push.out).toBe(0);
    expect(push.out).toMatch(/modelgov drift gate\.+Passed/);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(dir, 'rev-parse', 'HEAD'));

    // A commit that skipped the hook leaves the section stale: the push is refused.
    const edited = exampleManifest();
    edited.models[edited.production_model!].training_end = '2026-01-07';
    writeJson(join(dir, 'manifests', 'catboost_v9.json'), edited);
    git(dir, 'commit', '-qam', 'manifest edit without hooks', '--no-verify');
    const blocked = sh(dir, 'git', ['push', 'origin', 'main'], env);
    expect(blocked.status, blocked.out).not.toBe(0);
    expect(blocked.out).toMatch(/modelgov drift gate\.+Failed/);
    expect(blocked.out).toContain('docs');
    expect(git(remote, 'rev-parse', 'main')).not.toBe(git(dir, 'rev-parse', 'HEAD'));
  }, LONG);
});

