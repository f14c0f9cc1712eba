import { clockFrom, promote } from '../../app/promote.js';
import { blocks } from '../../gates/evaluate-gates.js';
import { isRemoteLocation } from '../../config/location.js';
import { ModelgovError } from '../../errors.js';
import { shCommand } from '../../util/shell-quote.js';
import { RETIRE_STATUSES, type RetireStatus } from '../../gates/apply-promotion.js';
import { gitUser, headCommit } from '../../git/git.js';
import type { OptionsOf } from '../command-specs.js';
import type { CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { gateLines, gatesJson } from './gates.js';

/** `modelgov promote <id>`: gates, one conditional manifest write, history, sync, docs, deploy command. */
export const run: CommandRun<OptionsOf<'promote'>> = async (ctx, args, opts) => {
  const id = args[0];
  const reason = typeof opts.reason === 'string' ? opts.reason : null;
  const retireAs = (opts.retireAs ?? 'active') as RetireStatus;
  if (!RETIRE_STATUSES.includes(retireAs)) {
    throw new ModelgovError('USAGE', `--retire-as: "${retireAs}" is not one of ${RETIRE_STATUSES.join(', ')}`, { fix: `Pass --retire-as ${RETIRE_STATUSES.join('|')}.` });
  }
  const now = clockFrom(ctx.env);
  const loaded = ctx.config();
  const [by, commit] = await Promise.all([typeof opts.by === 'string' ? Promise.resolve(opts.by) : gitUser(loaded.root, ctx.env), headCommit(loaded.root)]);
  const result = await withRegistry(ctx, (registry) =>
    promote(loaded, ctx.env, registry, {
      id,
      force: Boolean(opts.force),
      reason,
      by,
      commit,
      retireAs,
      sync: opts.sync !== false && loaded.config.promote?.sync !== false,
      docs: opts.docs !== false && loaded.config.promote?.docs !== false,
      now,
    }),
  );

  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        ok: result.status !== 'refused',
        status: result.status,
        model: result.model,
        system: result.system,
        from: result.from,
        to: result.status === 'promoted' ? result.model : null,
        productionSince: result.status === 'promoted' ? result.day : null,
        retiredAs: result.retiredAs,
        forced: result.forced,
        reason: result.reason,
        gates: gatesJson(result.gates),
        manifest: result.manifest,
        historyEvent: result.history?.event_id ?? null,
        sync: { status: result.sync.status, detail: result.sync.detail },
        docs: { status: result.docs.status, detail: result.docs.detail, changed: result.docs.changed ?? [] },
        deploy: result.deploy,
      }),
    );
    return result.status === 'refused' ? 'failed' : 'ok';
  }

  if (result.status === 'already-production') {
    ctx.out(`${result.model} is already the production model of ${result.system}; nothing written.`);
    return 'ok';
  }
  for (const line of gateLines(result.gates)) ctx.out(line);
  const failed = result.gates.filter(blocks).map((g) => g.id);
  if (result.status === 'refused') {
    ctx.out(
      `refused: ${result.model} fails ${failed.length} gate(s): ${failed.join(', ')}. The manifest was not changed.` +
        ` Fix the model, or override with --force --reason "…" (recorded in the history).`,
    );
    return 'failed';
  }
  if (result.forced) ctx.err(`warning: promoting despite failed gate(s) ${failed.join(', ')} because of --force (reason: ${result.reason})`);
  ctx.out(`promoted ${result.model} to production in ${result.system} (${result.manifest.location}), production_since ${result.day}.`);
  if (result.from) ctx.out(`  ${result.from}: production -> ${result.retiredAs}, production_end_date ${result.day}`);
  ctx.out(`  history: recorded (event ${result.history?.event_id}, by ${result.history?.changed_by ?? 'unknown'})`);
  ctx.out(`  sync: ${result.sync.status} (${result.sync.detail})`);
  ctx.out(`  docs: ${result.docs.status} (${result.docs.detail})`);
  if (result.sync.status === 'failed' || result.docs.status === 'failed') ctx.err('warning: the promotion is written, but a follow-up step failed; see above.');
  if (result.deploy.length > 0) {
    ctx.out('deploy:');
    for (const d of result.deploy) {
      ctx.out(`  ${d.command}`);
      if (d.note) ctx.out(`    (${d.note})`);
    }
  }
  if (!isRemoteLocation(result.manifest.location)) {
    const files = [result.manifest.location, ...(result.docs.changed ?? [])];
    ctx.out(`commit it: ${shCommand(['git', 'add', '--', ...files])} && ${shCommand(['git', 'commit', '-m', `promote ${result.model}`])}`);
  }
  return 'ok';
};
