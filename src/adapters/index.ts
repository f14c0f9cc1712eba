import { resolve } from 'node:path';
import { locationKind } from '../config/location.js';
import type { LoadedConfig } from '../config/types.js';
import { ModelgovError } from '../errors.js';
import type { AdapterOptions, ArtifactStore, DeploymentReader, ManifestStore, Registry } from '../ports.js';

/**
 * Location string -> adapter. Every backend module is imported on demand, so a command that
 * needs no registry never loads DuckDB and one that stays local never loads a Google SDK.
 */
export function adapterOptions(loaded: LoadedConfig, env: NodeJS.ProcessEnv): AdapterOptions {
  return { root: loaded.root, env, timeoutMs: loaded.config.timeoutMs, location: loaded.config.location };
}

export async function openRegistry(location: string, opts: AdapterOptions): Promise<Registry> {
  const kind = locationKind(location);
  if (kind === 'duckdb') {
    const { createDuckDbRegistry } = await import('./registry/duckdb.js');
    return createDuckDbRegistry(location, opts);
  }
  if (kind === 'bigquery') {
    const { createBigQueryRegistry } = await import('./registry/bigquery.js');
    return createBigQueryRegistry(location as `bigquery:${string}`, opts);
  }
  throw new ModelgovError('CONFIG_INVALID', `registry: unknown location scheme in "${location}"`, {
    fix: 'Use duckdb:<path>[#table] or bigquery:<project>.<dataset>.<table> in modelgov.config.json.',
  });
}

export async function openManifestStore(location: string, opts: AdapterOptions): Promise<ManifestStore> {
  if (locationKind(location) === 'gcs') {
    const { createGcsManifestStore } = await import('./manifest/gcs.js');
    return createGcsManifestStore(location as `gs://${string}`, opts);
  }
  const { createLocalManifestStore } = await import('./manifest/local-file.js');
  return createLocalManifestStore(location, opts.root);
}

export async function openDeploymentReader(location: string, opts: AdapterOptions): Promise<DeploymentReader> {
  if (locationKind(location) === 'cloudrun') {
    const { createCloudRunReader } = await import('./deployment/cloud-run.js');
    return createCloudRunReader(location as `cloudrun:${string}`, opts);
  }
  const { createServiceYamlReader } = await import('./deployment/service-yaml.js');
  return createServiceYamlReader(resolve(opts.root, location), location);
}

/** Artifact store for a path: gs:// objects stream from GCS, everything else is a local file. */
export async function openArtifactStore(path: string, opts: AdapterOptions): Promise<ArtifactStore> {
  if (locationKind(path) === 'gcs') {
    const { createGcsArtifactStore } = await import('./artifacts/gcs.js');
    return createGcsArtifactStore(opts);
  }
  const { createLocalArtifactStore } = await import('./artifacts/local.js');
  return createLocalArtifactStore();
}
