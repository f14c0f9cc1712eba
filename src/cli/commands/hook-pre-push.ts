import { NO_CONFIG_NOTICE, skipRequested, SKIP_NOTICE } from '../../app/docs-staged.js';
import { isModelgovError } from '../../errors.js';
import { gitRoot } from '../../git/git.js';
import type { CommandRun } from '../context.js';
import { driftCommand } from './drift.js';

const BYPASS = 'To push anyway on purpose: `git push --no-verify` or `MODELGOV_SKIP=1 git push`.';

/**
 * What `.husky/pre-push` runs: the drift check. Drift exits 1 and an unreachable source with
 * `offline: fail` (the default) exits 2; git refuses the push on either, so both say how to bypass.
 */
export const run: CommandRun = async (ctx) => {
  if (skipRequested(ctx.env, ctx.err)) {
    ctx.err(SKIP_NOTICE);
    return 'ok';
  }
  if ((await gitRoot(ctx.cwd)) === undefined) {
    ctx.err('modelgov: not inside a git work tree; nothing to check.');
    return 'ok';
  }
  try {
    ctx.config();
  } catch (e) {
    if (!isModelgovError(e) || e.code !== 'CONFIG_NOT_FOUND') throw e;
    ctx.err(NO_CONFIG_NOTICE);
    return 'ok';
  }
  let outcome;
  try {
    outcome = await driftCommand(ctx, {});
  } catch (e) {
    ctx.err(`modelgov: push blocked: the drift check could not run (see below). ${BYPASS}`);
    throw e;
  }
  if (outcome === 'failed') {
    ctx.err(`modelgov: push blocked: drift found between the manifest and the places above; apply the fixes listed. ${BYPASS}`);
  }
  return outcome;
};
