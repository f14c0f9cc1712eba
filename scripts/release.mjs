// `npm run release [-- vX.Y.Z]`: tag a release whose commit carries the built dist/.
//
// Why: the pre-commit framework installs `language: node` hooks with a global git install, and
// npm installs no devDependencies for that (npm/cli#8440), so esbuild is missing when `prepare`
// runs. A release tag therefore points at a commit that holds dist/ (JS and .d.ts) on top of
// HEAD; prepare keeps it when it cannot build. Branches never carry dist/ (no generated diffs,
// no merge conflicts in it). The commit is made with a temporary index: the work tree, the index
// and the current branch are left exactly as they were.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const tag = process.argv[2] ?? `v${version}`;

function git(args, env = {}) {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`release: git ${args.join(' ')} failed: ${r.stderr.trim()}`);
    process.exit(1);
  }
  return r.stdout.trim();
}

if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tag)) {
  console.error(`release: "${tag}" is not a version tag like v${version}`);
  process.exit(1);
}
if (git(['status', '--porcelain', '--untracked-files=no'])) {
  console.error('release: the work tree has uncommitted changes; commit or stash them first (the tag must match a commit).');
  process.exit(1);
}
if (spawnSync('git', ['rev-parse', '-q', '--verify', `refs/tags/${tag}`], { cwd: root }).status === 0) {
  console.error(`release: tag ${tag} exists already`);
  process.exit(1);
}

const built = spawnSync(process.execPath, ['scripts/prepare.mjs'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const tmp = mkdtempSync(join(tmpdir(), 'modelgov-release-'));
try {
  const env = { GIT_INDEX_FILE: join(tmp, 'index') };
  git(['read-tree', 'HEAD'], env);
  git(['add', '--force', '--', 'dist'], env);
  // dist/RELEASE tells prepare that this dist/ is the release's own build (see prepare.mjs). It
  // exists only in the tag's commit, never in a work tree, so a checkout keeps building its own.
  const marker = spawnSync('git', ['hash-object', '-w', '--stdin'], { cwd: root, input: `${tag}\n`, encoding: 'utf8' });
  if (marker.status !== 0) throw new Error(marker.stderr);
  git(['update-index', '--add', '--cacheinfo', `100644,${marker.stdout.trim()},dist/RELEASE`], env);
  // The tag's package.json has no `prepare` and no devDependencies: its dist/ is built already.
  // npm installs a git dependency's devDependencies whenever it has a `prepare` to run, and the
  // pre-commit framework installs a hook repository with --include=dev: either way every install
  // from the tag (npm i, npx, npm ci from the lockfile, pre-commit) would fetch the build tools
  // (esbuild, TypeScript, vitest, ...) to run a step that does nothing there.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete pkg.scripts.prepare;
  delete pkg.devDependencies;
  const manifest = spawnSync('git', ['hash-object', '-w', '--stdin'], { cwd: root, input: `${JSON.stringify(pkg, null, 2)}\n`, encoding: 'utf8' });
  if (manifest.status !== 0) throw new Error(manifest.stderr);
  git(['update-index', '--cacheinfo', `100644,${manifest.stdout.trim()},package.json`], env);
  const tree = git(['write-tree'], env);
  const commit = git(['commit-tree', tree, '-p', 'HEAD', '-m', `release ${tag}: HEAD plus the built dist/\n\nInstalls without devDependencies (the pre-commit framework) use this dist/.`]);
  git(['tag', '--end-of-options', tag, commit]);
  console.log(`release: tagged ${tag} (${commit.slice(0, 12)}: HEAD plus dist/). Push it: git push origin ${tag}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
