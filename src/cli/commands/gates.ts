import type { OptionsOf } from '../command-specs.js';
import { checkGates, findModel } from '../../app/check-gates.js';
import { loadManifests } from '../../app/load-manifests.js';
import type { GateResult } from '../../gates/evaluate-gates.js';
import type { CommandContext, CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { table } from '../report/table.js';

/** The gate table, one line per failed gate saying why, and a note on built-in gates (also used by promote). */
export function gateLines(results: GateResult[]): string[] {
  const lines = [
    table(
      ['gate', 'metric', 'value', 'threshold', 'result'],
      results.map((r) => [r.id + (r.builtin ? ' *' : ''), r.metric, r.value === null ? 'missing' : r.value, r.threshold, r.passed ? 'pass' : 'FAIL']),
    ),
  ];
  for (const r of results.filter((x) => !x.passed)) lines.push(`FAIL ${r.id}: ${r.message}`);
  if (results.some((r) => r.builtin)) lines.push('* built in, always on: a model trained on the same window as another one (the check-duplicate rule)');
  return lines;
}

/** Gate results for --json: the result plus `result: "pass" | "fail"`. */
export const gatesJson = (results: GateResult[]) => results.map((r) => ({ ...r, result: r.passed ? 'pass' : 'fail' }));

/** `modelgov gates <id>`: evaluates every gate for a model; exit 1 when any fails. */
export const run: CommandRun<OptionsOf<'gates'>> = async (ctx: CommandContext, args) => {
  const loaded = ctx.config();
  const manifests = await loadManifests(loaded, ctx.env);
  const model = findModel(loaded, manifests, args[0]);
  const results = await withRegistry(ctx, (registry) => checkGates(loaded, model, registry));
  const ok = results.every((r) => r.passed);
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok, model: model.id, system: model.system.id, gates: gatesJson(results) }));
  } else {
    ctx.out(`gates for ${model.id} (${model.system.id}, status ${model.entry.status}):`);
    for (const line of gateLines(results)) ctx.out(line);
    const failed = results.filter((r) => !r.passed);
    ctx.out(
      ok
        ? `all ${results.length} gates pass.`
        : `${failed.length} of ${results.length} gates failed (${failed.map((r) => r.id).join(', ')}); fix the model or its evaluation and run \`modelgov gates ${model.id}\` again.`,
    );
  }
  return ok ? 'ok' : 'failed';
};
