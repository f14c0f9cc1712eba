import type { CommandContext } from '../context.js';

/** A progress line: shown only after `delayMs`, rewritten in place, cleared when done. */
export interface Progress {
  update(text: string): void;
  done(): void;
}

const SILENT: Progress = { update: () => {}, done: () => {} };

/**
 * A one-line progress display on stderr for work that may take a while. Only on a terminal,
 * never with --json and never in hooks (whose context is not a TTY), so scripts and logs stay
 * clean; nothing shows for work that ends within `delayMs`, so fast runs look exactly as before.
 */
export function startProgress(ctx: Pick<CommandContext, 'tty' | 'json'>, write: (s: string) => void, initial: string, delayMs = 2000): Progress {
  if (!ctx.tty || ctx.json) return SILENT;
  const started = Date.now();
  let text = initial;
  let shown = false;
  const draw = () => {
    shown = true;
    write(`\r${text} (${Math.round((Date.now() - started) / 1000)} s)\x1b[K`);
  };
  const timer = setInterval(draw, 1000);
  const first = setTimeout(draw, delayMs);
  // A progress line must never keep the process alive.
  timer.unref();
  first.unref();
  return {
    update(next) {
      text = next;
      if (shown) draw();
    },
    done() {
      clearInterval(timer);
      clearTimeout(first);
      if (shown) write('\r\x1b[K');
    },
  };
}
