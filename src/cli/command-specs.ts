import type { CommandRun } from './context.js';

/**
 * Every command is declared here once: its help text, arguments, typed options and examples,
 * and how to load its implementation. main.ts builds the parser from this table and a command
 * file types its options with `OptionsOf<'name'>`, so the flags, the help and the code cannot
 * disagree. Implementations are dynamic imports: this file is plain data and stays cheap to load.
 */

/** `string`: `--flag <value>`; `strings`: repeatable `--flag <value>`; `boolean`: a switch. */
type OptionType = 'string' | 'strings' | 'boolean';

export interface OptionSpec {
  /** Commander flags, e.g. `--train-start <date>` or `--no-sync`. */
  readonly flags: string;
  readonly description: string;
  readonly type: OptionType;
  /** Shown as "(required)" in help; commander refuses the command without it. */
  readonly required?: boolean;
  readonly choices?: readonly string[];
  /** Shown in help and used when the flag is absent. */
  readonly default?: string;
  /** Help-only description of a default that is not a fixed value (e.g. "the config's offline"). */
  readonly defaultText?: string;
}

export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly variadic?: boolean;
}

export interface CommandSpec {
  /** One line for the command list. */
  readonly summary: string;
  /** More help: what the command changes, reads or needs. */
  readonly details?: string;
  readonly args?: readonly ArgumentSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Shown under "Examples:" in the command's help, each a full command line. */
  readonly examples: readonly string[];
  readonly load: Loader;
}

type Loader = () => Promise<{ run: CommandRun<any> }>;
/** Declares the loader's type so the table's type does not depend on the modules it loads. */
const lazy = (load: () => Promise<unknown>): Loader => load as Loader;

const system = { flags: '--system <id>', description: 'only this system', type: 'string' } as const;
const trainStart = { flags: '--train-start <date>', description: 'first training day, YYYY-MM-DD', type: 'string', required: true } as const;
const trainEnd = { flags: '--train-end <date>', description: 'last training day, YYYY-MM-DD', type: 'string', required: true } as const;

export const COMMAND_SPECS = {
  init: {
    summary: 'set up a repository with the hook manager it has: config, hooks, docs markers (idempotent)',
    details: [
      'Changes, each only when missing or out of date (a second run changes nothing):',
      '  modelgov.config.json   created with the system, manifest and docs file ("$schema" points at the shipped schema)',
      '  git hooks              pre-commit and pre-push entries for modelgov in the hook manager the repository uses',
      '                         (.pre-commit-config.yaml, lefthook.yml, .husky/, simple-git-hooks; none: husky)',
      '  docs file              a marked section under the model heading (markers only; `modelgov docs` fills it)',
      '  .gitignore             .modelgov/ (the local registry cache)',
      '  .gcloudignore, .dockerignore   node_modules/, when they exist and node packages are installed',
      'Refuses (exit 2, nothing changed) to switch off hooks it cannot add to (a foreign core.hooksPath,',
      'hand-written .git/hooks) and to use paths git ignores.',
    ].join('\n'),
    options: {
      system: { flags: '--system <id>', description: 'system id for a new config, e.g. catboost_v9', type: 'string' },
      manifest: { flags: '--manifest <path>', description: 'manifest location for a new config (repo path or gs://bucket/object)', type: 'string' },
      docs: { flags: '--docs <file>', description: 'docs file that gets the markers', type: 'string', defaultText: 'CLAUDE.md' },
      docsHeading: { flags: '--docs-heading <text>', description: 'the existing heading whose section gets the markers', type: 'string', defaultText: 'the heading naming the system or models' },
      hooks: { flags: '--hooks <manager>', description: 'add modelgov to this hook manager instead of the detected one (husky takes over on purpose)', type: 'string', choices: ['husky', 'pre-commit', 'lefthook', 'simple-git-hooks'] },
      hooksRepo: { flags: '--hooks-repo <url>', description: "modelgov's git URL for a pre-commit framework entry", type: 'string' },
      hooksRev: { flags: '--hooks-rev <tag>', description: 'the tag for that entry', type: 'string', defaultText: 'v<this version>' },
      install: { flags: '--no-install', description: 'do not run npm install for the hook tools', type: 'boolean' },
    },
    examples: [
      'modelgov init --system catboost_v9 --manifest models/catboost_v9/manifest.json',
      'modelgov init --system catboost_v9 --hooks-repo https://github.com/<owner>/modelgov --docs-heading "ML Model - CatBoost V9"',
    ],
    load: lazy(() => import('./commands/init.js')),
  },
  sync: {
    summary: 'upsert every manifest model into the registry in one MERGE',
    options: {
      dryRun: { flags: '--dry-run', description: 'show what would change, write nothing', type: 'boolean' },
      by: { flags: '--by <who>', description: 'recorded as the author of the changes', type: 'string', defaultText: 'git user.email' },
    },
    examples: ['modelgov sync --dry-run', 'modelgov sync'],
    load: lazy(() => import('./commands/sync.js')),
  },
  list: {
    summary: 'list the models in the registry',
    options: { system },
    examples: ['modelgov list', 'modelgov list --system catboost_v9 --json'],
    load: lazy(() => import('./commands/list.js')),
  },
  production: {
    summary: 'show the production model of each system (from the registry)',
    options: { system },
    examples: ['modelgov production'],
    load: lazy(() => import('./commands/production.js')),
  },
  info: {
    summary: 'show one model from the registry',
    args: [{ name: 'id', description: 'model id', required: true }],
    options: {},
    examples: ['modelgov info catboost_v9_33features_20260201_011018'],
    load: lazy(() => import('./commands/info.js')),
  },
  validate: {
    summary: 'check that every active/production artifact exists and matches its sha256',
    options: {
      system,
      all: { flags: '--all', description: 'check every model, not only active/production ones', type: 'boolean' },
    },
    examples: ['modelgov validate', 'modelgov validate --all --system catboost_v9'],
    load: lazy(() => import('./commands/validate.js')),
  },
  'check-duplicate': {
    summary: 'exit 1 when a model with the same training window exists',
    options: {
      trainStart,
      trainEnd,
      features: { flags: '--features <n>', description: 'feature count: a model with another count is no duplicate', type: 'string' },
      variant: { flags: '--variant <tag>', description: 'variant tag, repeatable: a duplicate has the same tags (none when not given)', type: 'strings' },
      system,
      force: { flags: '--force', description: 'report duplicates as a warning and exit 0', type: 'boolean' },
    },
    examples: [
      'modelgov check-duplicate --train-start 2025-11-02 --train-end 2026-01-08',
      'modelgov check-duplicate --train-start 2025-11-02 --train-end 2026-01-08 --features 33 --variant q0.43',
    ],
    load: lazy(() => import('./commands/check-duplicate.js')),
  },
  name: {
    summary: 'print the conventional file name for a model',
    options: {
      system: { flags: '--system <id>', description: 'system id', type: 'string', required: true },
      features: { flags: '--features <n>', description: 'feature count', type: 'string', required: true },
      trainStart,
      trainEnd,
      variant: { flags: '--variant <tag>', description: 'variant tag, repeatable (q0.43, noveg, resid, 2stg, wt)', type: 'strings' },
      ext: { flags: '--ext <ext>', description: 'file extension', type: 'string', defaultText: "the system's first configured one" },
      at: { flags: '--at <iso>', description: 'creation time with a zone, e.g. 2026-02-08T14:47:49Z', type: 'string', defaultText: 'now' },
    },
    examples: ['modelgov name --system catboost_v9 --features 33 --train-start 2025-11-02 --train-end 2026-01-08 --variant q0.43'],
    load: lazy(() => import('./commands/name.js')),
  },
  'lint-names': {
    summary: 'check model file names (default: the staged model files)',
    args: [{ name: 'paths', description: 'paths to check', variadic: true }],
    options: {
      stdin: { flags: '--stdin', description: 'also read paths from stdin, one per line (no argument-length limit)', type: 'boolean' },
      z: { flags: '-z', description: 'with --stdin: paths are NUL-separated (`git ls-files -z`)', type: 'boolean' },
    },
    examples: ['modelgov lint-names models/catboost_v9/*.cbm', 'git ls-files -z | modelgov lint-names --stdin -z'],
    load: lazy(() => import('./commands/lint-names.js')),
  },
  docs: {
    summary: 'regenerate every marked docs section from the manifest',
    options: {
      check: { flags: '--check', description: 'exit 1 with a diff when a section is stale; write nothing', type: 'boolean' },
      staged: { flags: '--staged', description: 'pre-commit mode: regenerate the staged blob and the working file separately', type: 'boolean' },
    },
    examples: ['modelgov docs', 'modelgov docs --check'],
    load: lazy(() => import('./commands/docs.js')),
  },
  drift: {
    summary: 'compare manifest, registry, docs, deployment, service code and file names',
    options: {
      offline: { flags: '--offline <mode>', description: 'what an unreachable source means', type: 'string', choices: ['warn', 'fail'], defaultText: "the config's offline, else fail" },
      system,
    },
    examples: ['modelgov drift', 'modelgov drift --json --offline warn'],
    load: lazy(() => import('./commands/drift.js')),
  },
  gates: {
    summary: 'evaluate the configured gates for a model',
    args: [{ name: 'id', description: 'model id', required: true }],
    options: {},
    examples: ['modelgov gates catboost_v9_33f_train20251102-20260131_20260210_101010'],
    load: lazy(() => import('./commands/gates.js')),
  },
  promote: {
    summary: 'make a model production in the manifest (gates first), record it in history',
    args: [{ name: 'id', description: 'model id', required: true }],
    options: {
      force: { flags: '--force', description: 'promote even when gates fail (requires --reason)', type: 'boolean' },
      reason: { flags: '--reason <text>', description: 'why (required with --force)', type: 'string' },
      by: { flags: '--by <who>', description: 'recorded as the promoter', type: 'string', defaultText: 'git user.email' },
      retireAs: { flags: '--retire-as <status>', description: 'new status of the previous production model', type: 'string', choices: ['active', 'deprecated', 'rolled_back', 'archived'], default: 'active' },
      sync: { flags: '--no-sync', description: 'do not sync the registry afterwards', type: 'boolean' },
      docs: { flags: '--no-docs', description: 'do not regenerate docs afterwards', type: 'boolean' },
    },
    examples: ['modelgov promote catboost_v9_33f_train20251102-20260131_20260210_101010', 'modelgov promote <id> --force --reason "bias fixed upstream, see #412"'],
    load: lazy(() => import('./commands/promote.js')),
  },
  history: {
    summary: 'the audit trail; --at answers which model was production then',
    args: [{ name: 'id', description: 'model id' }],
    options: {
      at: { flags: '--at <date>', description: 'which model was production on this date (YYYY-MM-DD)', type: 'string' },
      system,
      limit: { flags: '--limit <n>', description: 'show only the newest n events', type: 'string' },
    },
    examples: ['modelgov history --limit 10', 'modelgov history --at 2026-02-01'],
    load: lazy(() => import('./commands/history.js')),
  },
  report: {
    summary: 'write one self-contained HTML page: timeline, models and gates, promotions, drift',
    details: [
      'Writes one file (nothing else changes): the timeline as inline SVG, the models with metrics and',
      'gate results, the recorded promotions, and the current drift with unreachable sources listed.',
      'No script and no external resource: it opens from file://, as a CI artifact and offline.',
      'Exit 0 when the page was written, whatever it shows.',
    ].join('\n'),
    options: {
      out: { flags: '--out <file>', description: 'where to write the page', type: 'string', defaultText: 'modelgov-report.html' },
      system,
    },
    examples: ['modelgov report', 'modelgov report --out site/models.html --system catboost_v9'],
    load: lazy(() => import('./commands/report.js')),
  },
  'hook pre-commit': {
    summary: 'regenerate staged docs sections and lint staged model names',
    args: [{ name: 'hook-args', description: 'arguments a hook manager passes (ignored)', variadic: true }],
    options: {},
    examples: ['modelgov hook pre-commit'],
    load: lazy(() => import('./commands/hook-pre-commit.js')),
  },
  'hook pre-push': {
    summary: 'judge the pushed commits (refs on stdin, content from git objects); block per the prePush policy',
    args: [{ name: 'hook-args', description: "git's <remote> <url> (refs come on stdin)", variadic: true }],
    options: {},
    examples: ['modelgov hook pre-push "$@"'],
    load: lazy(() => import('./commands/hook-pre-push.js')),
  },
  'trigger init': {
    summary: 'write a Cloud Run function source that syncs the BigQuery registry when a gs:// manifest changes',
    details: [
      'Writes <dir>/package.json (@google-cloud/functions-framework and modelgov, pinned), <dir>/index.js',
      '(entry point modelgovSync, CloudEvent) and <dir>/modelgov.config.json (the gs:// systems and the',
      'bigquery: registry), then prints the gcloud functions deploy command per bucket and the roles.',
    ].join('\n'),
    args: [{ name: 'dir', description: 'directory for the function source (new or empty)', required: true }],
    options: {
      region: { flags: '--region <region>', description: 'region for the printed deploy command', type: 'string' },
      serviceAccount: { flags: '--service-account <email>', description: 'service account for the printed deploy command', type: 'string', defaultText: 'modelgov-sync@<project>.iam.gserviceaccount.com' },
    },
    examples: ['modelgov trigger init trigger --region us-west2'],
    load: lazy(() => import('./commands/trigger-init.js')),
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMAND_SPECS;

type ValueOf<O> = O extends { type: 'boolean' }
  ? boolean
  : O extends { type: 'strings' }
    ? string[]
    : O extends { choices: readonly (infer C)[] }
      ? C
      : string;
type Options<S> = S extends { options: infer O } ? O : never;
type RequiredKeys<O> = { [K in keyof O]: O[K] extends { required: true } | { default: string } | { type: 'strings' } ? K : never }[keyof O];

/** The parsed options of a command, typed from its declaration above. */
export type OptionsOf<N extends CommandName> = {
  [K in RequiredKeys<Options<(typeof COMMAND_SPECS)[N]>>]: ValueOf<Options<(typeof COMMAND_SPECS)[N]>[K]>;
} & {
  [K in Exclude<keyof Options<(typeof COMMAND_SPECS)[N]>, RequiredKeys<Options<(typeof COMMAND_SPECS)[N]>>>]?: ValueOf<Options<(typeof COMMAND_SPECS)[N]>[K]>;
};
