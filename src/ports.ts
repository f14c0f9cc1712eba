/** Reads and conditionally writes one manifest (local file or GCS object). */
export interface ManifestStore {
  readonly location: string;
  read(): Promise<{ text: string; version: string }>;
  /**
   * Writes `text` only if the stored version is still `expectedVersion` (content hash for
   * files, generation for GCS). Throws ModelgovError('CONFLICT') when it lost a race.
   */
  write(text: string, expectedVersion: string): Promise<{ version: string }>;
}

/** One row of `model_registry`, the columns of the team's BigQuery table plus system id and full evaluation. */
export interface RegistryRow {
  model_id: string;
  system_id: string;
  model_version: string | null;
  model_type: string | null;
  gcs_path: string | null;
  feature_count: number | null;
  training_start_date: string | null; // YYYY-MM-DD
  training_end_date: string | null; // YYYY-MM-DD
  training_samples: number | null;
  evaluation_mae: number | null;
  evaluation_hit_rate_edge_3plus: number | null;
  evaluation_hit_rate_edge_5plus: number | null;
  sha256_hash: string | null;
  status: string | null;
  is_production: boolean;
  production_start_date: string | null; // YYYY-MM-DD
  notes: string | null;
  /** Full evaluation object as canonical JSON text. */
  evaluation_json: string | null;
  created_at: string | null; // ISO timestamp
  created_by: string | null;
}

/** Columns compared by sync and drift (everything but the creation stamp). */
export const COMPARED_COLUMNS = [
  'system_id',
  'model_version',
  'model_type',
  'gcs_path',
  'feature_count',
  'training_start_date',
  'training_end_date',
  'training_samples',
  'evaluation_mae',
  'evaluation_hit_rate_edge_3plus',
  'evaluation_hit_rate_edge_5plus',
  'sha256_hash',
  'status',
  'is_production',
  'production_start_date',
  'notes',
  'evaluation_json',
] as const satisfies readonly (keyof RegistryRow)[];

/** One row of `model_registry_history`: a field change by sync, or a promotion. */
export interface HistoryEvent {
  event_id: string;
  event_type: 'insert' | 'update' | 'promote';
  system_id: string;
  model_id: string;
  /** Field name for insert/update events (one event per changed field), null for promote. */
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  changed_at: string; // ISO timestamp
  changed_by: string | null;
  git_commit: string | null;
  /** Free-form JSON details (promotion: from, to, gates, forced, reason). */
  details_json: string | null;
}

export interface UpsertResult {
  /** DML rows affected as the backend reports them. */
  affectedRows: number;
  /** Requests / jobs the backend ran for the upsert (BigQuery: query jobs). */
  requests: number;
}

/** The queryable copy of the manifests. One batch upsert call per sync. */
export interface Registry {
  readonly location: string;
  /** Every row, optionally of one system, ordered by system_id, model_id. */
  list(filter?: { system?: string }): Promise<RegistryRow[]>;
  get(modelId: string): Promise<RegistryRow | undefined>;
  /** Rows with exactly this training window. */
  findByWindow(start: string, end: string, system?: string): Promise<RegistryRow[]>;
  /** Insert or update every row by model_id in ONE parameterized statement, then append the history events. */
  upsert(rows: RegistryRow[], history: HistoryEvent[]): Promise<UpsertResult>;
  appendHistory(events: HistoryEvent[]): Promise<void>;
  history(filter?: { modelId?: string; system?: string }): Promise<HistoryEvent[]>;
  /**
   * Only for registries that are a cache of the manifests (DuckDB): read the sources, plan and
   * write under ONE lock, and say what changed. Absent for shared registries (BigQuery).
   */
  refresh?(opts: { dryRun: boolean }): Promise<CacheRefresh>;
  close(): Promise<void>;
}

/** What a cache registry is rebuilt from; produced by the app layer, read inside the registry's lock. */
export interface CacheSources {
  /** Content hash of every source (manifest texts, history files, the layout): equal means fresh. */
  fingerprint: string;
  /** Parses the sources (only when the fingerprint changed or a sync asks). */
  load(): CacheContent;
}

export interface CacheContent {
  /** The rows the registry must hold, all systems. */
  rows: RegistryRow[];
  /** Events of the history files; they replace the history rows of `historySystems`. */
  events: HistoryEvent[];
  historySystems: string[];
  /** Every configured system, and each one's manifest version (for stable event ids). */
  systems: string[];
  versions: Record<string, string>;
  now: string;
  by: string | null;
  commit: string | null;
}

/** A cache refresh: the sync plan it applied (or would apply) and whether it wrote. */
export interface CacheRefresh {
  plan: import('./sync/plan-sync.js').SyncPlan;
  /** Rows removed because their model left every manifest (a cache mirrors its sources). */
  removed: RegistryRow[];
  wrote: boolean;
  affectedRows: number;
}

/** What a deployment currently serves. */
export interface DeploymentState {
  /** Service name, e.g. `prediction-worker`. */
  service: string;
  region: string | null;
  project: string | null;
  /** Value of the configured model env var in the first container, null when absent. */
  modelPath: string | null;
  /** The `commit-sha` label, null when absent. */
  commitSha: string | null;
  /** Latest revision / last update time (ISO), null when unknown. */
  revisionTime: string | null;
  /** Image of the first container. */
  image: string | null;
}

export interface DeploymentReader {
  readonly location: string;
  read(envName: string): Promise<DeploymentState>;
}

/** Result of hashing one artifact (local file or gs:// object), streamed, never written to disk. */
export interface ArtifactCheck {
  exists: boolean;
  sha256?: string;
  size?: number;
}

/** Reads model artifacts to check they exist and hash to the manifest's sha256. */
export interface ArtifactStore {
  /** `onProgress(bytesRead, totalBytes)` is called while streaming large files. */
  hash(location: string, onProgress?: (read: number, total: number | undefined) => void): Promise<ArtifactCheck>;
}

/** Options every adapter factory accepts (IO injected so tests call what the CLI calls). */
export interface AdapterOptions {
  /** Directory relative locations resolve against (the config's root). */
  root: string;
  env: NodeJS.ProcessEnv;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
  /** Retries for safe (read / idempotent) requests on 408/429/5xx. */
  retries?: number;
  /** BigQuery dataset location. */
  location?: string;
  /** Injected auth client (tests); otherwise ADC, or a placeholder token when an endpoint override is set. */
  authClient?: unknown;
  /** Where a cache registry (DuckDB) is rebuilt from; without it the file is used as it is. */
  cache?: () => Promise<CacheSources>;
  /** One-line warnings (a discarded cache file); default stderr. */
  warn?: (line: string) => void;
  /**
   * Called after a registry write committed and before the file's identity is checked; lets a
   * caller (a test) delete or replace the file at exactly that point.
   */
  afterCommit?: (file: string) => void | Promise<void>;
  /**
   * Local files as a commit holds them (the pre-push hook judges pushed commits, not the working
   * tree): local manifests and service YAML files are read from here instead of the disk.
   */
  snapshot?: Snapshot;
}

/** Files of one commit, by config-relative location. */
export interface Snapshot {
  /** Names the commit in messages, e.g. `commit 1a2b3c4d (refs/heads/main)`. */
  label: string;
  /** The file's text at that commit, or undefined when the commit has no such file. */
  read(location: string): string | undefined;
}
