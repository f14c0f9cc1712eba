import { runPrePush } from '../../hooks/pre-push/run-pre-push.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { readPipedStdin } from '../read-stdin.js';
import { printPrePush } from '../report/pre-push.js';

/**
 * What the installed pre-push hook runs, with git's arguments (`<remote> <url>`) and git's stdin
 * (the pushed refs). It judges the pushed commits, read from git objects, never the working tree;
 * run by hand (nothing on stdin) it checks HEAD against its upstream.
 */
export const run: CommandRun<OptionsOf<'hook pre-push'>> = async (ctx, args) => {
  const report = await runPrePush({ cwd: ctx.cwd, env: ctx.env, configPath: ctx.configPath, args, err: ctx.err, stdin: ctx.stdin ?? readPipedStdin });
  return printPrePush(ctx, report);
};
