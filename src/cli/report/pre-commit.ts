import type { PreCommitReport } from '../../hooks/pre-commit/run-pre-commit.js';
import type { CommandContext, Outcome } from '../context.js';

/** Prints what the pre-commit hook (or `docs --staged`) did: notices and findings on stderr, `--json` on stdout. */
export function printPreCommit(ctx: CommandContext, report: PreCommitReport): Outcome {
  if (report.notice) ctx.err(report.notice);
  for (const w of report.warnings) ctx.err(`modelgov: warning: ${w}`);
  for (const r of report.regenerated) ctx.err(`modelgov: regenerated ${r.file} (${r.side})${r.because ? ` because ${r.because}` : ''}`);
  if (report.violations.length > 0) {
    for (const v of report.violations) {
      ctx.err(`modelgov: bad model file name: ${v.path}`);
      ctx.err(`  ${v.reason}`);
    }
    ctx.err(
      `modelgov: commit refused: ${report.violations.length} staged model file name(s) break the convention. ` +
        'Rename them (`git mv old new`), or commit anyway on purpose with `git commit --no-verify` or `MODELGOV_SKIP=1 git commit`.',
    );
  }
  if (ctx.json) {
    const { outcome, notice: _notice, ...rest } = report;
    ctx.out(JSON.stringify({ ok: outcome === 'ok', ...rest }));
  }
  return report.outcome;
}
