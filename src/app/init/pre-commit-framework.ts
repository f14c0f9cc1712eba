import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, parseDocument, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { ModelgovError } from '../../errors.js';
import type { InitStep } from './init-context.js';
import { applyInsertions, columnOf, endOfBlock, eolOf, lineStartOf, renderSeqItem, seqStyleAt, yamlScalar, type Insertion, type SeqStyle } from './yaml-splice.js';

/** The hook ids in modelgov's `.pre-commit-hooks.yaml`. */
export const PRE_COMMIT_HOOK_IDS = ['modelgov-docs', 'modelgov-drift'] as const;
const CONFIG_NAMES = ['.pre-commit-config.yaml', '.pre-commit-config.yml'];

/** The pre-commit framework's config file in `root`, if there is one. */
export function preCommitConfigFile(root: string): string | undefined {
  return CONFIG_NAMES.map((n) => join(root, n)).find((f) => existsSync(f));
}

/** Where the `repo:` entry points: modelgov's git URL (or a local path) and the tag. */
export interface PreCommitSource {
  repo?: string;
  rev: string;
}

type Node = { range?: [number, number, number] | null };
const start = (n: unknown) => (n as Node).range![0];
const pairOf = (map: YAMLMap, key: string) => map.items.find((p) => (p.key as { value?: unknown } | null)?.value === key) as Pair | undefined;

function refuse(file: string, why: string, source: PreCommitSource): ModelgovError {
  return new ModelgovError('USAGE', `${file}: ${why}; init changed nothing`, {
    file,
    fix: `Add modelgov's hooks to ${file} yourself:\n${suggestion(source).join('\n')}\nthen run \`pre-commit install --hook-type pre-commit --hook-type pre-push\`.`,
  });
}

/**
 * Adds modelgov's hooks to the pre-commit framework's config: the framework keeps running every
 * other hook and core.hooksPath is left alone. When modelgov's entry is there, only a missing hook
 * id is added. It also makes `pre-commit install` install the pre-push hook
 * (`default_install_hook_types`), because the drift gate runs on push.
 */
export function integratePreCommitFramework(step: InitStep, source: PreCommitSource): void {
  const file = preCommitConfigFile(step.root) ?? join(step.root, CONFIG_NAMES[0]);
  const name = file.slice(step.root.length + 1);
  const text = step.pending.read(file) ?? '';
  const eol = eolOf(text);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ModelgovError('CONFIG_INVALID', `${name}:${e.linePos?.[0].line ?? '?'}: not valid YAML (${e.code}); init changed nothing`, {
      file,
      fix: `Fix ${name} (\`pre-commit validate-config\` shows the problem), then run \`modelgov init\` again.`,
    });
  }
  if (text.trim() !== '' && !isMap(doc.contents)) throw refuse(name, 'the top level is not a mapping', source);
  const top = isMap(doc.contents) ? (doc.contents as YAMLMap) : undefined;
  const before = (doc.toJS() ?? {}) as Record<string, any>;
  const expected = structuredClone(before);
  const edits: Insertion[] = [];
  const what: string[] = [];

  const reposPair = top && pairOf(top, 'repos');
  const repos = reposPair?.value;
  const existing = isSeq(repos) ? findModelgovRepo(repos as YAMLSeq) : undefined;
  if (existing) {
    const missing = PRE_COMMIT_HOOK_IDS.filter((id) => !existing.ids.includes(id));
    if (missing.length > 0) {
      const { hooks } = existing;
      if (hooks.flow) throw refuse(name, 'its modelgov entry lists hooks in a flow list init does not edit', source);
      const keyCol = columnOf(text, start(pairOf(existing.item, 'hooks')!.key));
      const style = seqStyleAt(text, start(hooks.items[0]), keyCol);
      const at = endOfBlock(text, start(hooks.items.at(-1)), keyCol + style.dashOffset);
      edits.push({ at, lines: missing.flatMap((id) => renderSeqItem(keyCol + style.dashOffset, style, [`id: ${id}`])) });
      expected.repos[existing.index].hooks.push(...missing.map((id) => ({ id })));
      what.push(`${missing.join(', ')} added to its modelgov entry`);
    }
  } else {
    if (!source.repo) {
      throw new ModelgovError('USAGE', `${name} uses the pre-commit framework and init does not know where your team gets modelgov from; init changed nothing`, {
        file,
        fix: `Pass modelgov's git URL: \`modelgov init --hooks-repo https://github.com/<owner>/modelgov\` (rev ${source.rev}; --hooks-rev picks another tag).`,
      });
    }
    const entryLines = (hooksStyle: SeqStyle) => [
      `repo: ${yamlScalar(source.repo!)}`,
      `rev: ${yamlScalar(source.rev)}`,
      'hooks:',
      ...PRE_COMMIT_HOOK_IDS.flatMap((id) => renderSeqItem(hooksStyle.dashOffset, hooksStyle, [`id: ${id}`])),
    ];
    const entry = { repo: source.repo, rev: source.rev, hooks: PRE_COMMIT_HOOK_IDS.map((id) => ({ id })) };
    if (reposPair === undefined || repos === null) {
      if (reposPair !== undefined) throw refuse(name, '`repos:` is empty in a form init does not edit', source);
      const style = { dashOffset: 2, pad: 1 };
      edits.push({ at: text.length, lines: ['repos:', ...renderSeqItem(2, style, entryLines(style))] });
      expected.repos = [entry];
    } else if (!isSeq(repos) || (repos as YAMLSeq).flow || (repos as YAMLSeq).items.length === 0) {
      throw refuse(name, '`repos` is not a block list init can add to', source);
    } else {
      const seq = repos as YAMLSeq;
      const keyCol = columnOf(text, start(reposPair.key));
      const style = seqStyleAt(text, start(seq.items[0]), keyCol);
      // The new entry's hook list follows the file's own nesting style when it has one.
      const sample = seq.items.map((i) => (isMap(i) ? (i as YAMLMap).get('hooks', true) : undefined)).find((h) => isSeq(h) && !(h as YAMLSeq).flow && (h as YAMLSeq).items.length > 0) as YAMLSeq | undefined;
      const hooksStyle = sample ? seqStyleAt(text, start(sample.items[0]), columnOf(text, start(seq.items[0]))) : style;
      const dash = keyCol + style.dashOffset;
      edits.push({ at: endOfBlock(text, start(seq.items.at(-1)), dash), lines: renderSeqItem(dash, style, entryLines(hooksStyle)) });
      expected.repos.push(entry);
    }
    what.push(`modelgov-docs and modelgov-drift from ${source.repo} at ${source.rev}`);
  }

  // The drift gate is a pre-push hook: make a plain `pre-commit install` install it for everyone.
  const typesPair = top && pairOf(top, 'default_install_hook_types');
  const types = before.default_install_hook_types as unknown;
  if (typesPair === undefined) {
    const line = 'default_install_hook_types: [pre-commit, pre-push]';
    const at = reposPair && columnOf(text, start(reposPair.key)) === 0 ? lineStartOf(text, start(reposPair.key)) : text.length;
    edits.push({ at, lines: [line] });
    expected.default_install_hook_types = ['pre-commit', 'pre-push'];
    what.push(line);
  } else if (Array.isArray(types) && !types.includes('pre-push') && isSeq(typesPair.value) && (typesPair.value as YAMLSeq).items.length > 0) {
    const seq = typesPair.value as YAMLSeq;
    if (seq.flow) {
      edits.push({ at: text.indexOf(']', (seq.items.at(-1) as Node).range![1]), raw: ', pre-push' });
    } else {
      const keyCol = columnOf(text, start(typesPair.key));
      const style = seqStyleAt(text, start(seq.items[0]), keyCol);
      edits.push({ at: endOfBlock(text, start(seq.items.at(-1)), keyCol + style.dashOffset), lines: renderSeqItem(keyCol + style.dashOffset, style, ['pre-push']) });
    }
    expected.default_install_hook_types = [...types, 'pre-push'];
    what.push('pre-push added to default_install_hook_types');
  } else if (!Array.isArray(types) || !types.includes('pre-push')) {
    step.note(`add pre-push to default_install_hook_types in ${name} (or run \`pre-commit install --hook-type pre-push\`): the drift gate runs on push.`);
  }
  const next = applyInsertions(text, edits, eol);
  if (next === text) step.unchanged(`${name} (modelgov-docs, modelgov-drift)`);
  else {
    const after = parseDocument(next);
    if (after.errors.length > 0 || !isDeepStrictEqual(after.toJS(), expected)) {
      throw refuse(name, 'init could not add its entry without changing the meaning of the file', source);
    }
    step.pending.write(file, next);
    step.changed(`${name} (${what.join('; ')})`);
  }
  noteInstalled(step);
}

function findModelgovRepo(repos: YAMLSeq): { item: YAMLMap; index: number; hooks: YAMLSeq; ids: string[] } | undefined {
  for (const [index, item] of repos.items.entries()) {
    if (!isMap(item)) continue;
    const hooks = (item as YAMLMap).get('hooks', true);
    if (!isSeq(hooks)) continue;
    const ids = (hooks as YAMLSeq).items.map((h) => (isMap(h) ? String((h as YAMLMap).get('id')) : ''));
    if (ids.some((id) => (PRE_COMMIT_HOOK_IDS as readonly string[]).includes(id))) return { item: item as YAMLMap, index, hooks: hooks as YAMLSeq, ids };
  }
  return undefined;
}

function suggestion(source: PreCommitSource): string[] {
  return [
    'repos:',
    `  - repo: ${source.repo ?? 'https://github.com/<owner>/modelgov'}`,
    `    rev: ${source.rev}`,
    '    hooks:',
    ...PRE_COMMIT_HOOK_IDS.map((id) => `      - id: ${id}`),
  ];
}

/** Says whether `pre-commit install` has put its hooks in place for both stages. */
function noteInstalled(step: InitStep): void {
  const generated = (hook: string) => {
    const f = join(step.gitHooksDir, hook);
    return existsSync(f) && readFileSync(f, 'utf8').includes('pre-commit');
  };
  if (generated('pre-commit') && generated('pre-push')) step.unchanged('pre-commit framework hooks installed (pre-commit, pre-push)');
  else step.note('run `pre-commit install` once per clone: it installs the pre-commit and pre-push hooks (modelgov runs in both).');
}
