import type { LoadedConfig } from '../../config/types.js';
import type { PendingWrites } from './pending-writes.js';

/** What every per-manager step of `init` gets: where, what is planned, and where to report. */
export interface InitStep {
  root: string;
  loaded: LoadedConfig;
  pending: PendingWrites;
  /** Something init created or changed (one line each). */
  changed: (what: string) => void;
  /** Something that already was as init would make it. */
  unchanged: (what: string) => void;
  /** What the user should do next or know about. */
  note: (text: string) => void;
  /** git's hooks directory for this repository (`git rev-parse --git-common-dir, then hooks`), absolute. */
  gitHooksDir: string;
}
