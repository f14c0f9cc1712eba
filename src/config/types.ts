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
  artifacts?: {
    extensions?: string[];
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
}

/** A config as loaded: the value plus where it lives. */
export interface LoadedConfig {
  config: ModelgovConfig;
  /** Absolute path of the config file (or `<embedded>`). */
  file: string;
  /** Directory paths in the config are relative to (the config file's directory). */
  root: string;
}
