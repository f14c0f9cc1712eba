import { loadConfig } from '../config/load-config.js';
import type { LoadedConfig } from '../config/types.js';
import { isModelgovError, ModelgovError } from '../errors.js';
import type { CommandContext, CommandRun, Outcome } from './context.js';
import { EXIT_CODES_HELP, exitCodeFor } from './exit-codes.js';

declare const __MODELGOV_VERSION__: string | undefined;
/** Replaced by the bundler with package.json's version. */
const MODELGOV_VERSION = typeof __MODELGOV_VERSION__ === 'string' ? __MODELGOV_VERSION__ : '0.0.0-dev';

/** Command modules, imported only when their command runs (keeps the hook path light). */
const COMMANDS: Record<string, () => Promise<{ run: CommandRun }>> = {
  init: () => import('./commands/init.js'),
  sync: () => import('./commands/sync.js'),
  list: () => import('./commands/list.js'),
  production: () => import('./commands/production.js'),
  info: () => import('./commands/info.js'),
  validate: () => import('./commands/validate.js'),
  'check-duplicate': () => import('./commands/check-duplicate.js'),
  name: () => import('./commands/name.js'),
  'lint-names': () => import('./commands/lint-names.js'),
  docs: () => import('./commands/docs.js'),
  drift: () => import('./commands/drift.js'),
  gates: () => import('./commands/gates.js'),
  promote: () => import('./commands/promote.js'),
  history: () => import('./commands/history.js'),
  'hook pre-commit': () => import('./commands/hook-pre-commit.js'),
  'hook pre-push': () => import('./commands/hook-pre-push.js'),
};

export interface MainIO {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  isTTY?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function buildProgram(
  { Command, Option }: typeof import('commander'),
  run: (name: string, args: string[], opts: Record<string, unknown>) => Promise<void>, io: Required<Pick<MainIO, 'stdout' | 'stderr'>>): import('commander').Command {
  const program = new Command('modelgov')
    .description('Keep ML model metadata in line with its manifest: sync, generate, lint, gate, and block drifted pushes.')
    .option('--json', 'machine output on stdout (nothing else on stdout)')
    .option('-C <dir>', 'run as if modelgov was started in <dir>')
    .option('--config <file>', 'use this config instead of finding modelgov.config.json')
    .version(MODELGOV_VERSION, '-V, --version')
    .addHelpText('after', EXIT_CODES_HELP)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const cmd = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  cmd('init', 'set up a repo: config, husky hooks, lint-staged entry, docs markers (idempotent)')
    .option('--system <id>', 'system id for a new config', undefined)
    .option('--manifest <path>', 'manifest location for a new config')
    .option('--docs <file>', 'docs file that gets the markers', undefined)
    .option('--no-install', 'do not run npm install for the hook tools')
    .action((opts) => run('init', [], opts));
  cmd('sync', 'upsert every manifest model into the registry in one MERGE')
    .option('--dry-run', 'show what would change, write nothing')
    .option('--by <who>', 'recorded as the author of the changes (default: git user.email)')
    .action((opts) => run('sync', [], opts));
  cmd('list', 'list the models in the registry')
    .option('--system <id>', 'only this system')
    .action((opts) => run('list', [], opts));
  cmd('production', 'show the production model of each system (from the registry)')
    .option('--system <id>', 'only this system')
    .action((opts) => run('production', [], opts));
  cmd('info', 'show one model from the registry')
    .argument('<id>', 'model id')
    .action((id, opts) => run('info', [id], opts));
  cmd('validate', 'check that every active/production artifact exists and matches its sha256')
    .option('--system <id>', 'only this system')
    .option('--all', 'check every model, not only active/production ones')
    .action((opts) => run('validate', [], opts));
  cmd('check-duplicate', 'exit 1 when a model with the same training window exists')
    .requiredOption('--train-start <date>', 'first training day, YYYY-MM-DD')
    .requiredOption('--train-end <date>', 'last training day, YYYY-MM-DD')
    .option('--features <n>', 'feature count: a model with another count is no duplicate')
    .option('--variant <tag>', 'variant tag, repeatable: a duplicate has the same tags (none when not given)', collect, [])
    .option('--system <id>', 'only this system')
    .option('--force', 'report duplicates as a warning and exit 0')
    .action((opts) => run('check-duplicate', [], opts));
  cmd('name', 'print the conventional file name for a model')
    .requiredOption('--system <id>', 'system id')
    .requiredOption('--features <n>', 'feature count')
    .requiredOption('--train-start <date>', 'first training day, YYYY-MM-DD')
    .requiredOption('--train-end <date>', 'last training day, YYYY-MM-DD')
    .option('--variant <tag>', 'variant tag, repeatable (q0.43, noveg, resid, 2stg, wt)', collect, [])
    .option('--ext <ext>', 'file extension (default: the system\'s first configured one)')
    .option('--at <iso>', 'creation time (default: now, UTC)')
    .action((opts) => run('name', [], opts));
  cmd('lint-names', 'check model file names (default: staged files with a configured extension)')
    .argument('[paths...]', 'paths to check')
    .option('--stdin', 'also read paths from stdin, one per line (no argument-length limit: `git ls-files | modelgov lint-names --stdin`)')
    .option('-z', 'with --stdin: paths are NUL-separated (`git ls-files -z`)')
    .action((paths, opts) => run('lint-names', paths, opts));
  cmd('docs', 'regenerate every marked docs section from the manifest')
    .option('--check', 'exit 1 with a diff when a section is stale; write nothing')
    .option('--staged', 'pre-commit mode: regenerate the staged blob and the working file separately')
    .action((opts) => run('docs', [], opts));
  cmd('drift', 'compare manifest, registry, docs, deployment, service code and file names')
    .addOption(new Option('--offline <mode>', 'what an unreachable source means').choices(['warn', 'fail']))
    .option('--system <id>', 'only this system')
    .action((opts) => run('drift', [], opts));
  cmd('gates', 'evaluate the configured gates for a model')
    .argument('<id>', 'model id')
    .action((id, opts) => run('gates', [id], opts));
  cmd('promote', 'make a model production in the manifest (gates first), record it in history')
    .argument('<id>', 'model id')
    .option('--force', 'promote even when gates fail (requires --reason)')
    .option('--reason <text>', 'why (required with --force)')
    .option('--by <who>', 'recorded as the promoter (default: git user.email)')
    .addOption(new Option('--retire-as <status>', 'new status of the previous production model').choices(['active', 'deprecated', 'rolled_back', 'archived']).default('active'))
    .option('--no-sync', 'do not sync the registry afterwards')
    .option('--no-docs', 'do not regenerate docs afterwards')
    .action((id, opts) => run('promote', [id], opts));
  cmd('history', 'the audit trail; --at answers which model was production then')
    .argument('[id]', 'model id')
    .option('--at <date>', 'which model was production on this date (YYYY-MM-DD)')
    .option('--system <id>', 'only this system')
    .action((id, opts) => run('history', id ? [id] : [], opts));
  const hook = cmd('hook', 'what the installed git hooks run');
  hook
    .command('pre-commit')
    .description('regenerate staged docs sections and lint staged model names')
    .exitOverride()
    .action((opts) => run('hook pre-commit', [], opts));
  hook
    .command('pre-push')
    .description('block the push when drift is found')
    .exitOverride()
    .action((opts) => run('hook pre-push', [], opts));
  return program;
}

/**
 * Runs the CLI and sets the process exit code. This is the only place that decides exit codes:
 * 0 ran and nothing is wrong, 1 a check failed, 2 could not run.
 */
export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? ((s: string) => void process.stdout.write(s));
  const stderr = io.stderr ?? ((s: string) => void process.stderr.write(s));
  let outcome: Outcome | undefined;
  let json = argv.includes('--json');
  const makeContext = (cwd: string, configPath: string | undefined): CommandContext => {
    let loaded: LoadedConfig | undefined;
    return {
      cwd,
      env,
      json,
      color: Boolean(io.isTTY ?? process.stdout.isTTY) && !env.NO_COLOR,
      configPath,
      out: (line) => stdout(line + '\n'),
      err: (line) => stderr(line + '\n'),
      config: () => (loaded ??= loadConfig({ cwd, configPath })),
    };
  };
  let code: number;
  try {
    const hook = argv.length === 2 && argv[0] === 'hook' ? `hook ${argv[1]}` : undefined;
    if (hook && COMMANDS[hook]) {
      // The installed hooks run exactly `modelgov hook pre-commit|pre-push` on every commit and
      // push: skip the argument parser (commander) on that path, it is a measurable part of the budget.
      outcome = await (await COMMANDS[hook]()).run(makeContext(io.cwd ?? process.cwd(), undefined), [], {});
    } else {
      const commander = await import('commander');
      const program = buildProgram(
        commander,
        async (name, args, opts) => {
          const global = program.opts<{ json?: boolean; C?: string; config?: string }>();
          json = Boolean(global.json);
          const cwd = global.C ? (await import('node:path')).resolve(io.cwd ?? process.cwd(), global.C) : (io.cwd ?? process.cwd());
          const mod = await COMMANDS[name]();
          outcome = await mod.run(makeContext(cwd, global.config), args, opts);
        },
        { stdout, stderr },
      );
      await program.parseAsync(argv, { from: 'user' });
    }
    code = outcome === undefined ? 0 : exitCodeFor(outcome);
  } catch (e) {
    code = reportError(e, { json, stdout, stderr });
  }
  process.exitCode = code;
  return code;
}

function reportError(e: unknown, io: { json: boolean; stdout: (s: string) => void; stderr: (s: string) => void }): number {
  // Matched by code, not class name: bundling renames the class.
  if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && String((e as unknown as { code: string }).code).startsWith('commander.')) {
    const ce = e as Error & { code: string };
    // Help and version are successful runs; everything else commander rejects is a usage error.
    if (ce.code === 'commander.helpDisplayed' || ce.code === 'commander.help' || ce.code === 'commander.version') return 0;
    if (io.json) io.stdout(JSON.stringify({ ok: false, error: { code: 'USAGE', message: ce.message } }) + '\n');
    io.stderr('Run `modelgov --help` for usage.\n');
    return 2;
  }
  const err = isModelgovError(e)
    ? e
    : new ModelgovError('INTERNAL', `internal error: ${(e as Error)?.stack ?? String(e)}`, {
        fix: 'This is a bug in modelgov; please report it with the command you ran.',
      });
  if (io.json) {
    io.stdout(JSON.stringify({ ok: false, error: { code: err.code, message: err.message, details: err.details, file: err.file ?? null, fix: err.fix ?? null } }) + '\n');
  }
  const lines = [`modelgov: error: ${err.message}`, ...err.details.map((d) => `  ${d}`)];
  if (err.fix) lines.push(`  fix: ${err.fix}`);
  io.stderr(lines.join('\n') + '\n');
  return 2;
}
