/**
 * Typed errors. Every error that reaches the CLI means "could not run" (exit 2); checks that
 * ran and failed are results, not errors. Each message names the place and the fix.
 */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'MANIFEST_INVALID'
  | 'MARKERS_INVALID'
  | 'TEMPLATE_INVALID'
  | 'SERVICE_INVALID'
  | 'BACKEND_UNREACHABLE'
  | 'REGISTRY_LOCKED'
  | 'CONFLICT'
  | 'CREDENTIALS'
  | 'NOT_FOUND'
  | 'GIT'
  | 'IO'
  | 'ENCODING'
  | 'INTERNAL';

export class ModelgovError extends Error {
  readonly code: ErrorCode;
  /** What the user should do about it; printed after the message. */
  readonly fix?: string;
  /** File (or location string) the error is about. */
  readonly file?: string;
  /** Further error lines, e.g. every schema violation of a manifest. */
  readonly details: string[];

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fix?: string; file?: string; details?: string[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ModelgovError';
    this.code = code;
    this.fix = opts.fix;
    this.file = opts.file;
    this.details = opts.details ?? [];
  }
}

/** True when `e` is a ModelgovError (also across bundle chunks, where instanceof may lie). */
export function isModelgovError(e: unknown): e is ModelgovError {
  return e instanceof ModelgovError || (e instanceof Error && e.name === 'ModelgovError' && 'code' in e);
}

/** A validator's result: the CLI decides what errors mean. */
export interface Validated<T> {
  value?: T;
  errors: string[];
  warnings: string[];
}
