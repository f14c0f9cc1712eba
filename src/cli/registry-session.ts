import { openConfiguredRegistry } from '../app/registry-cache.js';
import type { Registry } from '../ports.js';
import type { CommandContext } from './context.js';

/**
 * Opens the configured registry for one command and always closes it (DuckDB holds a file lock
 * while open). A DuckDB registry is a cache: its first use in the command rebuilds it when its
 * sources changed, so no command ever sees a registry that lags the repository.
 */
export async function withRegistry<T>(
  ctx: CommandContext,
  fn: (registry: Registry) => Promise<T>,
  extra: { by?: string | null; commit?: string | null } = {},
): Promise<T> {
  const loaded = ctx.config();
  const registry = await openConfiguredRegistry(loaded, ctx.env, { ...extra, warn: (line) => ctx.err(line) });
  try {
    return await fn(registry);
  } finally {
    await registry.close();
  }
}
