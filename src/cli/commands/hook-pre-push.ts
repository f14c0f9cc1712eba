import { hookGuard, isSkipped } from '../../hooks/guard.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { driftCommand } from './drift.js';

const BYPASS = 'To push anyway on purpose: `git push --no-verify` or `MODELGOV_SKIP=1 git push`.';

/**
 * What `.husky/pre-push` runs: the drift check. Drift exits 1 and an unreachable source with
 * `offline: fail` (the default) exits 2; git refuses the push on either, so both say how to bypass.
 */
export const run: CommandRun<OptionsOf<'hook pre-push'>> = async (ctx) => {
  const scope = await hookGuard(ctx);
  if (isSkipped(scope)) {
    ctx.err(scope.notice);
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
