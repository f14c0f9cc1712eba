/** One gate: a metric of the model's `evaluation` and one threshold kind. */
export interface GateConfig {
  id: string;
  metric: string;
  min?: number;
  max?: number;
  abs_max?: number;
  better_than?: 'production';
  /** For `better_than`: which direction is better. Default `lower` (error metrics). */
  direction?: 'lower' | 'higher';
  min_sample?: { metric: string; value: number };
  /** Restrict to these systems; default all. */
  systems?: string[];
  /** `block` (default) refuses promote on failure; `warn` reports only (a soft gate); `off` skips it. */
  severity?: GateSeverity;
}

export type GateSeverity = 'block' | 'warn' | 'off';

/** What an extra status (config `statuses`) means: a built-in status other than production, or the retired category. */
export type ExtraStatusMeaning = 'active' | 'shadow' | 'testing' | 'untested' | 'deprecated' | 'archived' | 'rolled_back' | 'retired';

/** How a system picks its models out of a shared manifest, by a field of the entry. */
export interface SystemSelect {
  field: string;
  equals?: string | number | boolean;
  in?: (string | number | boolean)[];
}

export interface DeploymentConfig {
  /** Service YAML path (`gcloud run services describe --format export`) or `cloudrun:project/region/service`. */
  service: string;
  /** Env var of the first container that holds the production model path. */
  env: string;
  /** Source directories whose commits after the deployed `commit-sha` mean the code drifted. */
  sourceDirs?: string[];
  /** The command that redeploys the service (the fix of deployment-code drift). */
  redeploy?: string;
}

/** What the pre-push hook does with a kind of finding; `touched`: block when the push touches the system, else warn. */
export type PrePushSeverity = 'block' | 'warn' | 'off' | 'touched';

/** The pre-push policy (`prePush` in the config). */
export interface PrePushPolicy {
  manifest?: PrePushSeverity;
  docs?: PrePushSeverity;
  filename?: PrePushSeverity;
  registry?: PrePushSeverity;
  'deployment-model'?: PrePushSeverity;
  'deployment-code'?: PrePushSeverity;
  /** A source the hook cannot read: `warn` (default) or `fail`. */
  offline?: 'warn' | 'fail';
}

export interface SystemConfig {
  id: string;
  /** Repo-relative path or `gs://bucket/object`. */
  manifest: string;
  /** Which models of a shared manifest are this system's; default: by id prefix. */
  select?: SystemSelect;
  artifacts?: {
    extensions?: string[];
    /** Repo-relative path globs of the model files (picomatch syntax). */
    include?: string[];
    legacy?: string[];
    /** Local directory where artifacts are found by basename (for `validate` without GCS). */
    dir?: string;
  };
  deployment?: DeploymentConfig;
  docs?: string[];
  /** Optional template file for the docs section (repo-relative). */
  docsTemplate?: string;
  /** Audit history file (JSON Lines, tracked in git); default `history.jsonl` beside a local manifest. */
  history?: string;
}

export interface ModelgovConfig {
  /** `duckdb:<path>[#table]` or `bigquery:<project>.<dataset>.<table>`. */
  registry: string;
  systems: SystemConfig[];
  gates?: GateConfig[];
  /** What an unreachable source means for drift: `fail` (exit 2, default) or `warn`. */
  offline?: 'warn' | 'fail';
  /** BigQuery dataset location, e.g. `US`. */
  location?: string;
  /** Per-source timeout for network reads, ms. */
  timeoutMs?: number;
  promote?: { sync?: boolean; docs?: boolean };
  prePush?: PrePushPolicy;
  /** Settings of the built-in gates. */
  builtinGates?: { 'duplicate-window'?: { severity?: GateSeverity } };
  /** Extra statuses and what each means, e.g. `{ "blocked": "retired" }`. */
  statuses?: Record<string, ExtraStatusMeaning>;
}

/** A config as loaded: the value plus where it lives. */
export interface LoadedConfig {
  config: ModelgovConfig;
  /** Absolute path of the config file (or `<embedded>`). */
  file: string;
  /** Directory paths in the config are relative to (the config file's directory). */
  root: string;
}
