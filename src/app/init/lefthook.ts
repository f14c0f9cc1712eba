import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, parseDocument, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { ModelgovError } from '../../errors.js';
import { LEFTHOOK_FILES } from './detect-hook-manager.js';
import type { InitStep } from './init-context.js';
import { applyInsertions, columnOf, endOfBlock, eolOf, renderSeqItem, seqStyleAt, spaces, yamlScalar, type Insertion } from './yaml-splice.js';

/** The commands init adds: node_modules/.bin, because lefthook does not put it on PATH. */
export const LEFTHOOK_COMMANDS: Record<'pre-commit' | 'pre-push', { run: string; use_stdin?: boolean }> = {
  'pre-commit': { run: 'node_modules/.bin/modelgov hook pre-commit' },
  // git passes the pushed refs on stdin; lefthook forwards stdin only when asked.
  'pre-push': { run: 'node_modules/.bin/modelgov hook pre-push', use_stdin: true },
};

type Node = { range?: [number, number, number] | null };
const start = (n: unknown) => (n as Node).range![0];
const pairOf = (map: YAMLMap, key: string) => map.items.find((p) => (p.key as { value?: unknown } | null)?.value === key) as Pair | undefined;

function bodyLines(hook: keyof typeof LEFTHOOK_COMMANDS): string[] {
  const c = LEFTHOOK_COMMANDS[hook];
  return [`run: ${yamlScalar(c.run)}`, ...(c.use_stdin ? ['use_stdin: true'] : [])];
}

/**
 * Adds a `modelgov` command to the pre-commit and pre-push hooks of lefthook's YAML config
 * (`commands:` map, or `jobs:` list in lefthook ≥ 1.10), written in the file's own indentation;
 * every other byte of the file stays. lefthook keeps owning the hooks.
 */
export function integrateLefthook(step: InitStep): void {
  const found = LEFTHOOK_FILES.map((f) => join(step.root, f)).find((f) => step.pending.exists(f));
  if (!found) {
    throw new ModelgovError('USAGE', 'lefthook is configured in a format init does not edit (JSON or TOML); init changed nothing', {
      fix: `Add to your lefthook config: pre-commit → commands → modelgov → run: ${LEFTHOOK_COMMANDS['pre-commit'].run}; pre-push → commands → modelgov → run: ${LEFTHOOK_COMMANDS['pre-push'].run} (use_stdin: true).`,
    });
  }
  const name = found.slice(step.root.length + 1);
  const text = step.pending.read(found) ?? '';
  const eol = eolOf(text);
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || (text.trim() !== '' && !isMap(doc.contents))) {
    throw new ModelgovError('CONFIG_INVALID', `${name}: not a YAML mapping init can read; init changed nothing`, { file: found, fix: `Fix ${name} (\`lefthook validate\`), then run \`modelgov init\` again.` });
  }
  const top = doc.contents as YAMLMap | null;
  const expected = structuredClone((doc.toJS() ?? {}) as Record<string, any>);
  const edits: Insertion[] = [];
  const added: string[] = [];
  for (const hook of ['pre-commit', 'pre-push'] as const) {
    const entry = { ...LEFTHOOK_COMMANDS[hook] };
    const pair = top ? pairOf(top, hook) : undefined;
    const value = pair?.value;
    if (!pair || value === null || value === undefined) {
      if (pair) throw refuse(name, `\`${hook}:\` is empty`);
      edits.push({ at: text.length, lines: [`${hook}:`, '  commands:', '    modelgov:', ...bodyLines(hook).map((l) => `      ${l}`)] });
      expected[hook] = { commands: { modelgov: entry } };
      added.push(hook);
      continue;
    }
    if (!isMap(value) || (value as YAMLMap).items.length === 0) throw refuse(name, `\`${hook}\` is not a mapping init can add to`);
    const hookMap = value as YAMLMap;
    const hookKeyCol = columnOf(text, start(pair.key));
    const childCol = columnOf(text, start(hookMap.items[0].key));
    const commands = pairOf(hookMap, 'commands');
    const jobs = pairOf(hookMap, 'jobs');
    if (commands && isMap(commands.value)) {
      const map = commands.value as YAMLMap;
      if (pairOf(map, 'modelgov')) continue;
      const col = map.items.length > 0 ? columnOf(text, start(map.items[0].key)) : childCol * 2 - hookKeyCol;
      const step2 = col - columnOf(text, start(commands.key));
      edits.push({ at: endOfBlock(text, start(commands.key), columnOf(text, start(commands.key))), lines: [`${spaces(col)}modelgov:`, ...bodyLines(hook).map((l) => `${spaces(col + step2)}${l}`)] });
      expected[hook].commands.modelgov = entry;
    } else if (jobs && isSeq(jobs.value) && !(jobs.value as YAMLSeq).flow && (jobs.value as YAMLSeq).items.length > 0) {
      const seq = jobs.value as YAMLSeq;
      if (seq.items.some((j) => isMap(j) && (j as YAMLMap).get('name') === 'modelgov')) continue;
      const keyCol = columnOf(text, start(jobs.key));
      const style = seqStyleAt(text, start(seq.items[0]), keyCol);
      edits.push({ at: endOfBlock(text, start(seq.items.at(-1)), keyCol + style.dashOffset), lines: renderSeqItem(keyCol + style.dashOffset, style, ['name: modelgov', ...bodyLines(hook)]) });
      expected[hook].jobs.push({ name: 'modelgov', ...entry });
    } else if (!commands && !jobs) {
      const indent = childCol - hookKeyCol;
      edits.push({ at: endOfBlock(text, start(pair.key), hookKeyCol), lines: [`${spaces(childCol)}commands:`, `${spaces(childCol + indent)}modelgov:`, ...bodyLines(hook).map((l) => `${spaces(childCol + 2 * indent)}${l}`)] });
      expected[hook].commands = { modelgov: entry };
    } else throw refuse(name, `\`${hook}\` has commands or jobs in a form init does not edit`);
    added.push(hook);
  }
  const next = applyInsertions(text, edits, eol);
  if (next === text) {
    step.unchanged(`${name} (modelgov in pre-commit and pre-push)`);
    return;
  }
  const after = parseDocument(next);
  if (after.errors.length > 0 || !isDeepStrictEqual(after.toJS(), expected)) throw refuse(name, 'init could not add its commands without changing the meaning of the file');
  step.pending.write(found, next);
  step.changed(`${name} (modelgov command in ${added.join(', ')})`);
  step.note('run `lefthook install` if lefthook is not active in this clone yet (it re-reads its config on every hook run).');
}

function refuse(name: string, why: string): ModelgovError {
  return new ModelgovError('USAGE', `${name}: ${why}; init changed nothing`, {
    fix: `Add to ${name} yourself:\npre-commit:\n  commands:\n    modelgov:\n      run: ${LEFTHOOK_COMMANDS['pre-commit'].run}\npre-push:\n  commands:\n    modelgov:\n      run: ${LEFTHOOK_COMMANDS['pre-push'].run}\n      use_stdin: true`,
  });
}
