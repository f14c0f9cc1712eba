import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { LoadedConfig } from '../config/types.js';
import { isModelgovError, ModelgovError } from '../errors.js';
import { COMMAND_SPECS, type CommandName, type CommandSpec } from './command-specs.js';
import type { CommandContext, Outcome } from './context.js';
import { EXIT_CODES_HELP, exitCodeFor } from './exit-codes.js';

declare const __MODELGOV_VERSION__: string | undefined;
/** Help lines of the command groups (two-word commands). */
const PARENT_SUMMARIES: Record<string, string> = {
  hook: 'what the installed git hooks run (hook pre-commit, hook pre-push)',
  trigger: 'auto-sync: a Cloud Run function that syncs the registry when a gs:// manifest changes (trigger init)',
};

/** Replaced by the bundler with package.json's version. */
const MODELGOV_VERSION = typeof __MODELGOV_VERSION__ === 'string' ? __MODELGOV_VERSION__ : '0.0.0-dev';

export interface MainIO {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  isTTY?: boolean;
  /** Terminal width; default: stdout's columns on a TTY, else `COLUMNS`, else unbounded. */
  columns?: number;
  /**
   * What is piped into the command (git's pushed refs for `hook pre-push`). Default: the process's
   * stdin when main runs as the process's own CLI; an embedding caller that captures stdout gets
   * none unless it passes this (its process stdin may be a pipe that never closes).
   */
  stdin?: () => Promise<string | undefined>;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A usage error, remembering which command's help to point at. */
type UsageError = Error & { code: string; helpCommand?: string };

function buildProgram(
  { Command, Option }: typeof import('commander'),
  run: (name: CommandName, args: string[], opts: Record<string, unknown>) => Promise<void>, io: Required<Pick<MainIO, 'stdout' | 'stderr'>>): import('commander').Command {
  const program = new Command('modelgov')
    .description('Keep ML model metadata in line with its manifest: sync, generate, lint, gate, and block drifted pushes.')
    .usage('<command> [options]')
    .option('--json', 'machine output on stdout (nothing else on stdout)')
    .option('-C <dir>', 'run as if modelgov was started in <dir>')
    .option('--config <file>', 'use this config instead of finding modelgov.config.json')
    .version(MODELGOV_VERSION, '-V, --version')
    .addHelpText('after', `\nExamples:\n  $ modelgov sync\n  $ modelgov drift --json\n  $ modelgov help drift\n${EXIT_CODES_HELP}`)
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const parents = new Map<string, import('commander').Command>([['', program]]);
  for (const [name, spec] of Object.entries(COMMAND_SPECS) as [CommandName, CommandSpec][]) {
    const words = name.split(' ');
    const leaf = words.pop()!;
    const parentName = words.join(' ');
    let parent = parents.get(parentName);
    if (!parent) {
      parent = program.command(parentName).description(PARENT_SUMMARIES[parentName] ?? parentName);
      parent.exitOverride((e) => { throw Object.assign(e, { helpCommand: parentName }); });
      parents.set(parentName, parent);
    }
    // Details go after the options, unwrapped: commander wraps a description to 80 columns, which
    // breaks a two-column list such as init's "what it changes".
    const command = parent.command(leaf).description(spec.summary).summary(spec.summary);
    command.exitOverride((e) => { throw Object.assign(e, { helpCommand: name }); }).configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    // Hook managers pass what they like (file lists, their own flags): the hooks ignore it.
    if (name.startsWith('hook ')) command.allowUnknownOption();
    for (const a of spec.args ?? []) {
      const shown = a.variadic ? `${a.name}...` : a.name;
      command.argument(a.required ? `<${shown}>` : `[${shown}]`, a.description);
    }
    for (const o of Object.values(spec.options)) {
      let description = o.required ? `${o.description} (required)` : o.description;
      if (o.defaultText) description += ` (default: ${o.defaultText})`;
      const option = new Option(o.flags, description);
      if (o.required) option.makeOptionMandatory();
      if (o.choices) option.choices(o.choices);
      if (o.default !== undefined) option.default(o.default);
      if (o.type === 'strings') option.argParser(collect);
      command.addOption(option);
    }
    command.addHelpText('after', `${spec.details ? `\n${spec.details}\n` : ''}\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n${EXIT_CODES_HELP}`);
    command.action(async (...params: unknown[]) => {
      // commander passes the declared arguments, then the options object, then the command.
      const declared = (spec.args ?? []).length;
      const positional = params.slice(0, declared).flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]));
      const opts = { ...(params[declared] as Record<string, unknown>) };
      for (const [key, o] of Object.entries(spec.options)) if (o.type === 'strings' && opts[key] === undefined) opts[key] = [];
      await run(name, positional, opts);
    });
  }
  return program;
}

/**
 * Runs the CLI and sets the process exit code. This is the only place that decides exit codes:
 * 0 ran and nothing is wrong, 1 a check failed, 2 could not run.
 */
export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? pipeWriter(process.stdout);
  const stderr = io.stderr ?? pipeWriter(process.stderr);
  let outcome: Outcome | undefined;
  let json = argv.includes('--json');
  const makeContext = (cwd: string, configPath: string | undefined, hook = false): CommandContext => {
    let loaded: LoadedConfig | undefined;
    return {
      cwd,
      env,
      json,
      color: Boolean(io.isTTY ?? process.stdout.isTTY) && !env.NO_COLOR,
      // Hooks print no progress: git shows their output in editors and GUIs as plain text.
      tty: !hook && Boolean(io.isTTY ?? process.stderr.isTTY),
      columns: io.columns ?? (process.stdout.isTTY ? process.stdout.columns : undefined) ?? (Number(env.COLUMNS) > 0 ? Number(env.COLUMNS) : undefined),
      configPath,
      out: (line) => stdout(line + '\n'),
      err: (line) => stderr(line + '\n'),
      errRaw: stderr,
      config: () => (loaded ??= loadConfig({ cwd, configPath })),
      stdin: io.stdin ?? (io.stdout ? async () => undefined : undefined),
    };
  };
  let code: number;
  try {
    const hook = argv[0] === 'hook' && (argv[1] === 'pre-commit' || argv[1] === 'pre-push') && !argv.slice(2).some((a) => a.startsWith('-')) ? (`hook ${argv[1]}` as const) : undefined;
    if (hook) {
      // The installed hooks run exactly `modelgov hook pre-commit|pre-push` on every commit and
      // push: skip the argument parser (commander) on that path, it is a measurable part of the budget.
      outcome = await (await COMMAND_SPECS[hook].load()).run(makeContext(io.cwd ?? process.cwd(), undefined, true), argv.slice(2), {});
    } else {
      const commander = await import('commander');
      const program = buildProgram(
        commander,
        async (name, args, opts) => {
          const global = program.opts<{ json?: boolean; C?: string; config?: string }>();
          json = Boolean(global.json);
          const cwd = global.C ? resolveStartDir(io.cwd ?? process.cwd(), global.C) : (io.cwd ?? process.cwd());
          const mod = await COMMAND_SPECS[name].load();
          outcome = await mod.run(makeContext(cwd, global.config, name.startsWith('hook ')), args, opts);
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

/** `-C <dir>`: the directory must exist, or every later message would be about a missing config. */
function resolveStartDir(cwd: string, dir: string): string {
  const target = resolve(cwd, dir);
  let isDir = false;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new ModelgovError('USAGE', `-C ${dir}: no such directory (${target})`, { fix: 'Pass an existing directory to -C, or leave it out to run in the current one.' });
  return target;
}

/**
 * A writer for stdout/stderr that ends quietly when the reader goes away (`modelgov list | head -1`):
 * on EPIPE further writes are dropped and the command finishes with the status it had, instead of
 * an unhandled 'error' event printing a stack trace.
 */
const writers = new WeakMap<NodeJS.WriteStream, (s: string) => void>();

function pipeWriter(stream: NodeJS.WriteStream): (s: string) => void {
  const known = writers.get(stream);
  if (known) return known;
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      return;
    }
    throw e;
  });
  const write = (s: string): void => {
    if (!closed) stream.write(s);
  };
  writers.set(stream, write);
  return write;
}

function reportError(e: unknown, io: { json: boolean; stdout: (s: string) => void; stderr: (s: string) => void }): number {
  // Matched by code, not class name: bundling renames the class.
  if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && String((e as unknown as { code: string }).code).startsWith('commander.')) {
    const ce = e as UsageError;
    // --help and --version are successful runs. `commander.help` is the help commander prints
    // on stderr when no command was given: that is a usage error like any other.
    if (ce.code === 'commander.helpDisplayed' || ce.code === 'commander.version') return 0;
    const help = ce.helpCommand ? `modelgov ${ce.helpCommand} --help` : 'modelgov --help';
    if (io.json) io.stdout(JSON.stringify({ ok: false, error: { code: 'USAGE', message: ce.message, fix: `Run \`${help}\` for usage.` } }) + '\n');
    io.stderr(`Run \`${help}\` for usage.\n`);
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
