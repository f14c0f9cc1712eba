// npm's `prepare` (run for git dependencies, `npm pack` and a developer's `npm install`).
//
// Where modelgov comes from decides what can run here:
// - a developer checkout or a git dependency installed by `npm install` (devDependencies are
//   installed): build dist/ with esbuild and its .d.ts with tsc;
// - a release tag (scripts/release.mjs; dist/RELEASE marks its commit): dist/ is already built
//   from this source, so nothing to do — which is what makes a global git install work (how the
//   pre-commit framework installs `language: node` hooks; npm installs no devDependencies for
//   it, npm/cli#8440);
// - any other commit without esbuild: keep a dist/ that is there, and say so;
// - the published tarball (no src/): dist/ is in it, nothing to do.
// It must never need more than Node itself to decide, because the tarball carries it too.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(`${root}package.json`);
const has = (pkg) => {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const built = existsSync(`${root}dist/cli.js`);
if (built && existsSync(`${root}dist/RELEASE`)) {
  // A release tag's commit: its dist/ was built from exactly this source; building again would
  // only cost time (and needs the devDependencies a global install does not have).
} else if (!existsSync(`${root}src/cli/main.ts`)) {
  if (!built) {
    console.error('modelgov: this package has neither src/ nor dist/; reinstall it.');
    process.exit(1);
  }
} else if (has('esbuild')) {
  run(process.execPath, ['scripts/build.mjs']);
  if (has('typescript')) run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.types.json']);
} else if (built) {
  console.error('modelgov: esbuild is not installed (no devDependencies here); using the prebuilt dist/ of this release.');
} else {
  console.error(
    'modelgov: dist/ is not built and esbuild is not installed (npm installs no devDependencies for a global git install).\n' +
      'Install a release tag (rev: v<version>), which carries a prebuilt dist/, or run `npm install` in a checkout.',
  );
  process.exit(1);
}

// The repository's own hooks, for developers of modelgov; absent from any install.
if (existsSync(`${root}.git`) && existsSync(`${root}.husky`) && has('husky')) {
  spawnSync(process.execPath, [`${dirname(require.resolve('husky'))}/bin.js`], { cwd: root, stdio: 'inherit' });
}
