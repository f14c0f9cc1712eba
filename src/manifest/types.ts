/** Statuses a model can have; exactly one model per manifest is `production`. */
export const MODEL_STATUSES = [
  'production',
  'active',
  'shadow',
  'testing',
  'untested',
  'deprecated',
  'archived',
  'rolled_back',
] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** Evaluation metrics: numbers (mae, hit rates, bias, counts) plus free text such as `note`. */
export type Evaluation = Record<string, number | string | boolean | null>;

/**
 * One model as the manifest describes it. Keys the team's existing manifests use are typed;
 * any other key is kept and passed through untouched.
 */
export interface ModelEntry {
  gcs_path: string;
  model_type?: string;
  model_version?: string;
  feature_count?: number;
  training_start: string; // YYYY-MM-DD
  training_end: string; // YYYY-MM-DD
  training_samples?: number;
  sha256?: string | null;
  /** A built-in status, or an extra one the config declares (`statuses`). */
  status: ModelStatus | (string & Record<never, never>);
  production_since?: string | null; // YYYY-MM-DD
  production_end_date?: string | null; // YYYY-MM-DD
  created_at?: string | null;
  created_by?: string | null;
  evaluation?: Evaluation;
  deprecation_reason?: string | null;
  [extra: string]: unknown;
}

/**
 * The manifest file: the source of truth for the models of one or more systems. As a system
 * sees it (`ManifestView.manifest`), `models` holds only that system's models and
 * `production_model` is null unless the file's production model is one of them.
 */
export interface Manifest {
  /** null: no single production model (a fleet with no champion, or another system's model holds it). */
  production_model: string | null;
  models: Record<string, ModelEntry>;
  [extra: string]: unknown;
}

/** A manifest as loaded from a store: parsed value, raw text, and where it came from. */
export interface ManifestView {
  /** System id from the config. */
  system: string;
  /** Location string as configured (repo-relative path or gs:// URL). */
  location: string;
  /** The system's view: only its models; production_model null unless it holds the file's. */
  manifest: Manifest;
  /** The whole file as parsed (every system's models): what a write starts from. */
  file: Manifest;
  /** The other systems that share this manifest file (config order). */
  sharedWith: string[];
  /** Extra statuses the config declares, so the pure core can tell what they mean. */
  statuses: Readonly<Record<string, string>>;
  /** Raw bytes as read, used for compare-and-swap writes. */
  text: string;
  /** Store-specific version token: content hash (local) or generation (GCS). */
  version: string;
  /** What is valid but worth a look (e.g. a production model without production_since). */
  warnings?: string[];
}
