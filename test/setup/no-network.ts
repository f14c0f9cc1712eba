import { afterAll } from 'vitest';
// @ts-expect-error plain .mjs module without types
import { violations } from './net-guard.mjs';

process.env.METADATA_SERVER_DETECTION = 'none';
process.env.NO_COLOR = '1';

afterAll(() => {
  if (violations.length > 0) {
    throw new Error(`Tests attempted non-loopback connections:\n${violations.join('\n')}`);
  }
});
