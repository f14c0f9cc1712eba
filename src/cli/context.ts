import type { LoadedConfig } from '../config/types.js';

/** What a command returns: it ran and everything is fine, or it ran and a check failed. */
export type Outcome = 'ok' | 'failed';

/** IO and global flags handed to every command, so tests call what the CLI calls. */
export interface CommandContext {
  /** Directory the command runs in (after `-C`). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `--json`: machine output on stdout and nothing else there. */
  json: boolean;
  /** Width to fit tables in; undefined when output goes to a file or pipe without `COLUMNS`. */
  columns?: number;
  /** stderr is a terminal: progress lines are allowed (never in --json or hooks). */
  tty: boolean;
  /** Colors allowed (TTY and no NO_COLOR). */
  color: boolean;
  configPath?: string;
  /** Writes a line (newline added) to stdout. */
  out(line: string): void;
  /** Writes raw text to stderr (progress lines rewrite themselves with `\r`). */
  errRaw(text: string): void;
  /** Writes a line (newline added) to stderr: progress, warnings, notices. */
  err(line: string): void;
  /** The config, loaded on first use (commands like `name` may not need it). */
  config(): LoadedConfig;
}

/** A command module's entry point: flags in, outcome out; errors are thrown as ModelgovError. */
export type CommandRun<O = Record<string, unknown>> = (ctx: CommandContext, args: string[], opts: O) => Promise<Outcome>;
