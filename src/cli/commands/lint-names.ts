import { relative, resolve } from 'node:path';
import { configDirInRepo, stagedModelFiles } from '../../hooks/staged-model-files.js';
import { loadModelFiles } from '../../config/model-files.js';
import { loadManifests, manifestGroups } from '../../app/load-manifests.js';
import { isModelgovError } from '../../errors.js';
import { stagedChanges } from '../../git/index-blob.js';
import { locateRepo } from '../../git/locate-repo.js';
import type { Manifest } from '../../manifest/types.js';
import { lintNames } from '../../naming/index.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';

/** Reads all of stdin (`--stdin`). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `lint-names [paths…]`: judge model file names (only the basename counts). Without paths it
 * judges the staged (added or modified) files with a configured extension, which is also what the
 * lint-staged entry that `init` installs passes it. Read-only, so lint-staged's stash dance is safe.
 */
export const run: CommandRun<OptionsOf<'lint-names'>> = async (ctx, args, opts) => {
  const loaded = ctx.config();
  const files = await loadModelFiles(loaded.config.systems);
  // Paths given on the command line are relative to where it runs; include globs to the config.
  let paths = args;
  let fromStage = false;
  if (opts.stdin) {
    // 100,000 paths are ~10 MB, far over ARG_MAX (2 MB): stdin lets one process judge them all.
    const text = (await (ctx.stdin ?? readStdin)()) ?? '';
    paths = [...args, ...text.split(opts.z ? '\0' : /\r?\n/).filter((p) => p !== '')];
  } else if (paths.length === 0) {
    const root = (await locateRepo(ctx.cwd, ctx.env))?.root;
    if (root === undefined) {
      ctx.err('modelgov: not inside a git work tree and no paths given; nothing to check. Pass the files: `modelgov lint-names <paths…>`.');
      if (ctx.json) ctx.out(JSON.stringify({ ok: true, checked: 0, ignored: 0, violations: [] }));
      return 'ok';
    }
    paths = stagedModelFiles(await stagedChanges(root), files, configDirInRepo(loaded.root, root));
    fromStage = true;
  }
  // The manifest facts make the correct name derivable; one that cannot be read only costs that.
  const manifests = new Map<string, Manifest>();
  await Promise.all(
    [...manifestGroups(loaded.config.systems).values()].map(async (group) => {
      try {
        for (const m of await loadManifests(loaded, ctx.env, group)) manifests.set(m.system, m.manifest);
      } catch (e) {
        if (!isModelgovError(e) || e.code === 'MANIFEST_INVALID') throw e;
        ctx.err(`modelgov: warning: ${e.message}; names of ${group.map((s) => s.id).join(', ')} are checked without ${group.length > 1 ? 'their' : 'its'} manifest facts.`);
      }
    }),
  );
  const isModelFile = fromStage ? () => true : (p: string) => files.isModelFile(relative(loaded.root, resolve(ctx.cwd, p)));
  const result = lintNames(paths, { systems: loaded.config.systems, manifests, isModelFile });
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: result.violations.length === 0, checked: result.checked, ignored: result.ignored, violations: result.violations }));
  } else {
    for (const v of result.violations) {
      ctx.out(`${v.path}: ${v.reason}`);
      if (v.expected) ctx.out(`  correct name: ${v.expected}`);
    }
    ctx.out(
      result.violations.length === 0
        ? `names ok: ${result.checked} model file(s) checked${result.ignored ? `, ${result.ignored} other file(s) ignored` : ''}.`
        : `${result.violations.length} of ${result.checked} model file name(s) break the convention.`,
    );
  }
  return result.violations.length === 0 ? 'ok' : 'failed';
};
