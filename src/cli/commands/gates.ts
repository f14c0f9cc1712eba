import type { OptionsOf } from '../command-specs.js';
import { checkGates, findModel } from '../../app/check-gates.js';
import { loadManifests } from '../../app/load-manifests.js';
import { blocks, type GateResult } from '../../gates/evaluate-gates.js';
import type { CommandContext, CommandRun } from '../context.js';
import { withRegistry } from '../registry-session.js';
import { table } from '../report/table.js';

/** The gate table, one line per failed gate saying why, and a note on built-in gates (also used by promote). */
export function gateLines(results: GateResult[]): string[] {
  const lines = [
    table(
      ['gate', 'metric', 'value', 'threshold', 'result'],
      results.map((r) => [r.id + (r.builtin ? ' *' : ''), r.metric, r.value === null ? 'missing' : r.value, r.threshold, resultWord(r)]),
    ),
  ];
  for (const r of results.filter((x) => !x.passed)) {
    lines.push(r.severity === 'warn' ? `WARN ${r.id}: ${r.message} (a soft gate: reported, does not block promote)` : `FAIL ${r.id}: ${r.message}`);
  }
  if (results.some((r) => r.builtin)) {
    lines.push('* built in, always on (unless builtinGates["duplicate-window"].severity is "off"): another live model with the same window, feature count and variant tags (the check-duplicate rule)');
  }
  return lines;
}

function resultWord(r: GateResult): string {
  return r.passed ? 'pass' : r.severity === 'warn' ? 'WARN' : 'FAIL';
}

/** Gate results for --json: the result plus `result: "pass" | "fail" | "warn"` (warn: a failed soft gate). */
export const gatesJson = (results: GateResult[]) => results.map((r) => ({ ...r, result: r.passed ? 'pass' : r.severity === 'warn' ? 'warn' : 'fail' }));

/** `modelgov gates <id>`: evaluates every gate for a model; exit 1 when any fails. */
export const run: CommandRun<OptionsOf<'gates'>> = async (ctx: CommandContext, args) => {
  const loaded = ctx.config();
  const manifests = await loadManifests(loaded, ctx.env);
  const model = findModel(loaded, manifests, args[0]);
  const results = await withRegistry(ctx, (registry) => checkGates(loaded, model, registry));
  // A failed soft gate is reported (WARN) but, as for promote, is not a failure.
  const ok = !results.some(blocks);
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok, model: model.id, system: model.system.id, gates: gatesJson(results) }));
  } else {
    ctx.out(`gates for ${model.id} (${model.system.id}, status ${model.entry.status}):`);
    for (const line of gateLines(results)) ctx.out(line);
    const failed = results.filter(blocks);
    ctx.out(
      ok
        ? `all ${results.length} gates pass.`
        : `${failed.length} of ${results.length} gates failed (${failed.map((r) => r.id).join(', ')}); fix the model or its evaluation and run \`modelgov gates ${model.id}\` again.`,
    );
  }
  return ok ? 'ok' : 'failed';
};
