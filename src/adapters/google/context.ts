/**
 * What every Google Cloud call carries: where it goes, its bounds, and what it does (for
 * messages). Types only, shared by the call policy, the error translation and the adapters.
 */
import type { Endpoint, GoogleService } from './endpoints.js';

/** Per-request bound and retry budget, from the adapter options. */
export interface CallSettings {
  timeoutMs: number;
  retries: number;
}

/** Everything an error message needs to name the place and the fix. */
export interface GoogleContext {
  service: GoogleService;
  /** The configured location string (`gs://…`, `bigquery:…`, `cloudrun:…`). */
  location: string;
  /** Override in effect, if any. */
  endpoint?: Endpoint;
  settings: CallSettings;
}

/** One kind of call: what it does (for messages), what IAM it needs, whether it may be retried. */
export interface Operation {
  /** Infinitive phrase: "read the manifest", "run the registry MERGE". */
  what: string;
  /** IAM permission the call needs, e.g. `storage.objects.get`. */
  permission: string;
  /** Predefined role that grants it, e.g. `roles/storage.objectViewer`. */
  role: string;
  /** Reads and idempotent writes may be retried on 408/429/5xx. */
  idempotent: boolean;
}
