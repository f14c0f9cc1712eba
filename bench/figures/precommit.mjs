// Figure 1: what a pre-commit hook costs on a 2,000-file repo, over a bare `git commit`, in units
// of one `node -e 0` start measured in the same rounds.
//
// One repo, set up by `modelgov init` exactly as a user gets it (husky activated, .husky/pre-commit
// asking git whether a watched path is staged, then running `modelgov hook pre-commit`). Every variant is a husky directory of its
// own (`<dir>/_` made the way husky 9 makes it: the `h` runner and one stub per hook), selected per
// commit with `git -c core.hooksPath=<dir>/_`, so all variants commit into the same repository and
// index. Each commit changes a file of its own (a trivial edit, alternating), so every commit is real.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleave, nodeStart, run, timeRun, unitsOver } from '../lib/measure.mjs';
import { BIN, EXAMPLE_MANIFEST, ROOT, exampleRepo, git, hermeticEnv, linkTools } from '../lib/repo.mjs';

const ID = {
  bare: 'bare git commit (hooks off)',
  node: 'husky + node -e 0',
  lintStaged: 'husky + lint-staged, no-op task',
  unrelated: 'husky + modelgov hook pre-commit, unrelated commit',
  manifest: 'husky + modelgov hook pre-commit, manifest commit (section regenerated)',
  init: "init's .husky/pre-commit (git filter, then modelgov), unrelated commit",
  initManifest: "init's .husky/pre-commit (git filter, then modelgov), manifest commit",
  plain: 'plain git hook (no husky runner) + modelgov hook pre-commit, unrelated commit',
};

const HUSKY_HOOKS = ['pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-rebase', 'post-rewrite', 'post-checkout', 'post-merge', 'pre-push', 'pre-auto-gc'];

/** A husky 9 hook directory: `<dir>/pre-commit` is the user's script, `<dir>/_` what git runs. */
function huskyDir(repo, rel, preCommit) {
  const dir = join(repo, rel);
  mkdirSync(join(dir, '_'), { recursive: true });
  copyFileSync(join(ROOT, 'node_modules', 'husky', 'husky'), join(dir, '_', 'h'));
  for (const h of HUSKY_HOOKS) writeFileSync(join(dir, '_', h), '#!/usr/bin/env sh\n. "$(dirname "$0")/h"', { mode: 0o755 });
  writeFileSync(join(dir, 'pre-commit'), preCommit);
  chmodSync(join(dir, 'pre-commit'), 0o755);
  return `${rel}/_`;
}

/** A plain git hooks directory holding only a pre-commit script. */
function plainHookDir(repo, rel, script) {
  mkdirSync(join(repo, rel), { recursive: true });
  writeFileSync(join(repo, rel, 'pre-commit'), script, { mode: 0o755 });
  return rel;
}

export async function benchPrecommit({ runs, log }) {
  const env = hermeticEnv();
  const repo = exampleRepo(env, { files: 2_000, name: 'precommit' });
  linkTools(repo);
  const tracked = git(repo, ['ls-files'], env).split('\n').length;

  // Set up as a user would: `modelgov init` writes package.json, the husky
  // hooks and activates them. The first commit goes through the hook and fills the docs section.
  // The setup commits ran with hooks off (core.hooksPath=.git/no-hooks); a user's clone has none,
  // and init refuses to switch a foreign hooksPath off.
  git(repo, ['config', '--unset', 'core.hooksPath'], env);
  const init = run(process.execPath, [BIN, 'init', '--no-install'], { cwd: repo, env });
  const installed = existsSync(join(repo, '.husky', 'pre-commit')) ? readFileSync(join(repo, '.husky', 'pre-commit'), 'utf8') : undefined;
  if (!installed || !/\bmodelgov hook pre-commit\b/.test(installed)) throw new Error(`init did not install .husky/pre-commit with \`modelgov hook pre-commit\`:\n${init}`);
  if (git(repo, ['config', 'core.hooksPath'], env) !== '.husky/_') throw new Error('init did not activate the husky hooks (core.hooksPath=.husky/_)');
  const initLines = installed.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));

  mkdirSync(join(repo, '.git', 'no-hooks'), { recursive: true });
  const hooks = {
    bare: join(repo, '.git', 'no-hooks'),
    init: '.husky/_',
    node: huskyDir(repo, '.bench-hooks/node', 'node -e 0\n'),
    lintStaged: huskyDir(repo, '.bench-hooks/lint-staged', 'lint-staged --config .bench-hooks/lint-staged.json\n'),
    modelgov: huskyDir(repo, '.bench-hooks/modelgov', 'modelgov hook pre-commit\n'),
    // What git runs without husky's runner (init's setup when the repo's prepare script does not
    // call husky: core.hooksPath=.husky, the script puts node_modules/.bin on PATH itself).
    plain: plainHookDir(repo, '.bench-hooks/plain', '#!/usr/bin/env sh\nexport PATH="node_modules/.bin:$PATH"\nmodelgov hook pre-commit\n'),
  };
  // The no-op task matches the staged file, so lint-staged runs it (with its backup stash) as it
  // would run a formatter: what users compare a hook against.
  writeFileSync(join(repo, '.bench-hooks', 'lint-staged.json'), JSON.stringify({ '*.txt': 'true' }) + '\n');
  writeFileSync(join(repo, '.gitignore'), readFileSync(join(repo, '.gitignore'), 'utf8') + '.bench-hooks/\n');
  git(repo, ['add', '-A'], env);
  run('git', ['commit', '-q', '-m', 'chore: modelgov init'], { cwd: repo, env });
  const dirty = git(repo, ['status', '--porcelain'], env);
  if (dirty) throw new Error(`the first commit through the hook left changes:\n${dirty}`);

  const manifestFile = join(repo, EXAMPLE_MANIFEST);
  const manifest0 = readFileSync(manifestFile, 'utf8');
  if (!manifest0.includes('"mae": 4.82')) throw new Error('example manifest changed: no "mae": 4.82 to toggle');
  mkdirSync(join(repo, 'notes'), { recursive: true });

  const commit = (hooksPath, msg) => timeRun('git', ['-c', `core.hooksPath=${hooksPath}`, 'commit', '-q', '-m', msg], { cwd: repo, env, label: `commit (${msg})` });
  const touch = (name, r) => {
    const file = `notes/${name.replace(/[^a-z0-9]+/gi, '-')}.txt`;
    writeFileSync(join(repo, file), `round ${r}\n`);
    git(repo, ['add', file], env);
  };
  const unrelated = (id, hooksPath) => ({
    id,
    run: (r) => {
      touch(id, r);
      return commit(hooksPath, `${id} ${r}`);
    },
  });
  let manifestCommits = 0;
  // The production model's MAE alternates 4.82 ↔ 4.83: the hook regenerates the section in the
  // staged blob and in the working file.
  const manifestCommit = (id, hooksPath) => ({
    id,
    run: (r) => {
      const mae = manifestCommits++ % 2 === 0 ? '4.83' : '4.82';
      writeFileSync(manifestFile, manifest0.replace('"mae": 4.82', `"mae": ${mae}`));
      git(repo, ['add', EXAMPLE_MANIFEST], env);
      const res = commit(hooksPath, `manifest ${r}`);
      if (!git(repo, ['show', 'HEAD:CLAUDE.md'], env).includes(`| ${mae} |`)) throw new Error(`${id} ${r}: the committed CLAUDE.md does not show MAE ${mae}\n${res.stderr}`);
      return res;
    },
  });
  const subjects = [
    { id: 'node -e 0', run: () => nodeStart(env) },
    unrelated(ID.bare, hooks.bare),
    unrelated(ID.node, hooks.node),
    unrelated(ID.lintStaged, hooks.lintStaged),
    unrelated(ID.unrelated, hooks.modelgov),
    manifestCommit(ID.manifest, hooks.modelgov),
    unrelated(ID.init, hooks.init),
    manifestCommit(ID.initManifest, hooks.init),
    unrelated(ID.plain, hooks.plain),
  ];
  const res = await interleave(subjects, { runs, warmup: 1, onRound: (r) => log?.(`pre-commit round ${r + 1}/${runs}`) });
  const dirtyAfter = git(repo, ['status', '--porcelain'], env);
  if (dirtyAfter) throw new Error(`the measured commits left changes:\n${dirtyAfter}`);

  const node = res['node -e 0'].rawWall;
  const bare = res[ID.bare].rawWall;
  const nodeCpu = res['node -e 0'].rawCpu;
  const bareCpu = res[ID.bare].rawCpu;
  const goals = { [ID.unrelated]: 1.5, [ID.manifest]: 4, [ID.init]: 1.6, [ID.initManifest]: 4 };
  const rows = Object.entries(res).map(([id, r]) => {
    const row = { id, wall: r.wall, cpu: r.cpu };
    if (id !== 'node -e 0' && id !== ID.bare) {
      row.overBare = unitsOver(r.rawWall, bare, node);
      if (r.cpu && res[ID.bare].cpu && res['node -e 0'].cpu) row.cpuOverBare = unitsOver(r.rawCpu, bareCpu, nodeCpu);
      if (goals[id] !== undefined) {
        row.goal = goals[id];
        row.pass = row.overBare.units <= goals[id];
      }
    }
    return row;
  });
  return {
    figure: 'pre-commit',
    repoFiles: tracked,
    initHook: initLines,
    unitMs: res['node -e 0'].wall.median,
    bareMs: res[ID.bare].wall.median,
    rows,
    notes: [
      `init's .husky/pre-commit runs: ${initLines.join(' && ')}`,
      'units = (median(hook commit) − median(bare commit)) / median(node -e 0), all from the same interleaved rounds; "paired" = median over rounds of the same ratio per round',
    ],

  };
}
