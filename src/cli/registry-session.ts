import { adapterOptions, openRegistry } from '../adapters/index.js';
import type { Registry } from '../ports.js';
import type { CommandContext } from './context.js';

/** Opens the configured registry for one command and always closes it (DuckDB holds a file lock while open). */
export async function withRegistry<T>(ctx: CommandContext, fn: (registry: Registry) => Promise<T>): Promise<T> {
  const loaded = ctx.config();
  const registry = await openRegistry(loaded.config.registry, adapterOptions(loaded, ctx.env));
  try {
    return await fn(registry);
  } finally {
    await registry.close();
  }
}
