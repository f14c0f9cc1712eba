import { ModelgovError } from '../../errors.js';
import { isBlocked, type PrePushReport } from '../../hooks/pre-push/run-pre-push.js';
import type { CommandContext, Outcome } from '../context.js';
import { fixLines, table } from './table.js';

export const PUSH_BYPASS = 'push anyway on purpose: `git push --no-verify` or `MODELGOV_SKIP=1 git push`';

const short = (sha: string) => sha.slice(0, 12);
const shortRef = (ref: string) => ref.replace(/^refs\/heads\//, '');

/**
 * Prints the pre-push verdict on stderr (git shows the hook's stderr; stdout stays for `--json`).
 * Blocking output ends with one line: what blocked, and how to bypass on purpose.
 */
export function printPrePush(ctx: CommandContext, report: PrePushReport): Outcome {
  const blocked = isBlocked(report);
  const offlineBlocks = report.unreachable.filter((u) => u.severity === 'block');
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: !blocked, skipped: report.skipped, refs: report.refs, deleted: report.deleted, findings: report.findings, unreachable: report.unreachable }));
  }
  if (report.notice) {
    ctx.err(report.notice);
    return 'ok';
  }
  for (const d of report.deleted) ctx.err(`modelgov: ${shortRef(d)}: deleted on the remote, nothing to check.`);
  if (report.findings.length > 0) {
    ctx.err(
      table(
        ['verdict', 'kind', 'system', 'subject', 'expected', 'actual', 'ref @ commit'],
        report.findings.map((f) => [f.severity === 'block' ? 'BLOCK' : 'warn', f.kind, f.system, f.subject, f.expected, f.actual, `${shortRef(f.ref)} @ ${short(f.commit)}`]),
      ),
    );
    ctx.err('\nfixes:');
    for (const line of fixLines(report.findings)) ctx.err(line);
  }
  for (const f of report.findings.filter((x) => x.severity === 'warn')) {
    ctx.err(`modelgov: warning: [${f.kind}] ${f.system}: ${f.actual} (${shortRef(f.ref)} @ ${short(f.commit)}); fix: ${f.fix}. Set prePush["${f.kind}"] in the config to "block" or "off" to change this.`);
  }
  for (const u of report.unreachable.filter((x) => x.severity === 'warn')) {
    ctx.err(
      `modelgov: warning: [offline] not checked: ${u.source}: ${u.message}${u.fix ? ` — ${u.fix}` : ''}. CI enforces it (\`modelgov drift\` fails on an unreachable source); prePush.offline "fail" blocks here too.`,
    );
  }
  if (offlineBlocks.length > 0 && !report.findings.some((f) => f.severity === 'block')) {
    throw new ModelgovError('BACKEND_UNREACHABLE', `push blocked: ${offlineBlocks.length} source(s) could not be read and prePush.offline is "fail"`, {
      details: offlineBlocks.map((u) => `${u.source}: ${u.message}${u.fix ? ` — ${u.fix}` : ''} (${shortRef(u.ref)} @ ${short(u.commit)})`),
      fix: `Make them reachable, or ${PUSH_BYPASS}.`,
    });
  }
  if (blocked) {
    const kinds = [...new Set(report.findings.filter((f) => f.severity === 'block').map((f) => f.kind))];
    const refs = [...new Set(report.findings.filter((f) => f.severity === 'block').map((f) => `${shortRef(f.ref)} @ ${short(f.commit)}`))];
    const n = report.findings.filter((f) => f.severity === 'block').length + offlineBlocks.length;
    ctx.err(`modelgov: push blocked by ${n} finding(s) (${[...kinds, ...(offlineBlocks.length ? ['offline'] : [])].join(', ')}) in ${refs.join(', ')}: apply the fixes above, or ${PUSH_BYPASS}.`);
    return 'failed';
  }
  const checked = report.refs.filter((r) => r.configs.length > 0);
  if (checked.length === 0) ctx.err('modelgov: nothing pushed that modelgov governs; nothing to check.');
  else {
    const warnings = report.findings.length + report.unreachable.length;
    ctx.err(
      `modelgov: no drift blocks this push: ${checked.map((r) => `${shortRef(r.ref)} @ ${short(r.commit)} (${r.commits} new commit(s))`).join(', ')} checked${warnings ? `, ${warnings} warning(s)` : ''}.`,
    );
  }
  return 'ok';
}
