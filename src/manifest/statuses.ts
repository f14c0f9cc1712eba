import { MODEL_STATUSES, type ModelStatus } from './types.js';

/**
 * What a status means for modelgov, in three categories: the one `production` model, the
 * `active` ones (serving beside it, shadowing, in test or waiting: their artifacts must exist
 * and a twin of them is a duplicate), and the `retired` ones (kept for the record only).
 */
export type StatusCategory = 'production' | 'active' | 'retired';

const CATEGORY: Record<ModelStatus, StatusCategory> = {
  production: 'production',
  active: 'active',
  shadow: 'active',
  testing: 'active',
  untested: 'active',
  deprecated: 'retired',
  archived: 'retired',
  rolled_back: 'retired',
};

/** Extra statuses from the config (`statuses`), each mapped to a built-in status or `retired`. */
export type ExtraStatuses = Readonly<Record<string, string>>;

/** A status as modelgov understands it: the built-in status it behaves as (if any) and its category. */
export interface StatusMeaning {
  /** The built-in status it is, or was declared to mean; undefined for a bare category (`retired`). */
  builtin?: ModelStatus;
  category: StatusCategory;
}

export function isBuiltinStatus(status: string): status is ModelStatus {
  return (MODEL_STATUSES as readonly string[]).includes(status);
}

/**
 * The one answer to "what does this status mean": a built-in status means itself; an extra one
 * what the config declares. Undefined for a status neither knows (the manifest check reports it).
 */
export function statusMeaning(status: string, extra: ExtraStatuses = {}): StatusMeaning | undefined {
  if (isBuiltinStatus(status)) return { builtin: status, category: CATEGORY[status] };
  if (!Object.hasOwn(extra, status)) return undefined;
  const declared = extra[status];
  if (declared === 'retired') return { category: 'retired' };
  if (isBuiltinStatus(declared) && declared !== 'production') return { builtin: declared, category: CATEGORY[declared] };
  return undefined;
}

/** True for statuses whose models are kept for the record only (deprecated, archived, rolled_back, or declared retired). */
export function isRetiredStatus(status: string | null | undefined, extra: ExtraStatuses = {}): boolean {
  return typeof status === 'string' && statusMeaning(status, extra)?.category === 'retired';
}
