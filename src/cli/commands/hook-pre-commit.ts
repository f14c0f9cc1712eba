import { runPreCommit } from '../../hooks/pre-commit/run-pre-commit.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { printPreCommit } from '../report/pre-commit.js';

/**
 * What the installed pre-commit hook runs: regenerate the docs sections in the staged blob and the
 * working file separately, then refuse staged model files with bad names. The fast path (nothing
 * relevant staged) loads no markdown parser, naming rules, adapters or SDKs. Arguments a hook
 * manager passes (file lists, `"$@"`) are accepted and ignored: the index says what is committed.
 */
export const run: CommandRun<OptionsOf<'hook pre-commit'>> = async (ctx) => printPreCommit(ctx, await runPreCommit(ctx, { lint: true }));
