import { runPreCommit } from '../../app/docs-staged.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';

/**
 * What `.husky/pre-commit` runs after lint-staged: regenerate the docs sections in the staged blob
 * and the working file separately, then refuse staged model files with bad names. The fast path
 * (nothing relevant staged) loads no markdown parser, naming rules, adapters or SDKs.
 */
export const run: CommandRun<OptionsOf<'hook pre-commit'>> = (ctx) => runPreCommit(ctx, { lint: true });
