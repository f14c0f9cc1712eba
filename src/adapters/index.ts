import { resolve } from 'node:path';
import { locationKind, parseLocation } from '../config/location.js';
import type { LoadedConfig } from '../config/types.js';
import { ModelgovError } from '../errors.js';
import type { AdapterOptions, ArtifactStore, DeploymentReader, ManifestStore, Registry, Snapshot } from '../ports.js';

/**
 * Location string -> adapter. Every backend module is imported on demand, so a command that
 * needs no registry never loads DuckDB and one that stays local never loads a Google SDK.
 */
export function adapterOptions(loaded: LoadedConfig, env: NodeJS.ProcessEnv): AdapterOptions {
  return { root: loaded.root, env, timeoutMs: loaded.config.timeoutMs, location: loaded.config.location };
}

export async function openRegistry(location: string, opts: AdapterOptions): Promise<Registry> {
  // The location parser names what is wrong with anything else (an unknown scheme, a bad path).
  if (parseLocation('registry', location, ['duckdb', 'bigquery'], opts.root).kind === 'bigquery') {
    const { createBigQueryRegistry } = await import('./registry/bigquery.js');
    return createBigQueryRegistry(location, opts);
  }
  const { createDuckDbRegistry } = await import('./registry/duckdb.js');
  return createDuckDbRegistry(location, opts);
}

export async function openManifestStore(location: string, opts: AdapterOptions): Promise<ManifestStore> {
  if (locationKind(location) === 'gcs') {
    const { createGcsManifestStore } = await import('./manifest/gcs.js');
    return createGcsManifestStore(location, opts);
  }
  if (opts.snapshot) return snapshotManifestStore(location, opts.snapshot);
  const { createLocalManifestStore } = await import('./manifest/local-file.js');
  return createLocalManifestStore(location, opts.root);
}

export async function openDeploymentReader(location: string, opts: AdapterOptions): Promise<DeploymentReader> {
  if (locationKind(location) === 'cloudrun') {
    const { createCloudRunReader } = await import('./deployment/cloud-run.js');
    return createCloudRunReader(location, opts);
  }
  const { createServiceYamlReader } = await import('./deployment/service-yaml.js');
  const snapshot = opts.snapshot;
  if (snapshot) return createServiceYamlReader(resolve(opts.root, location), location, () => snapshotText(snapshot, location, 'SERVICE_INVALID'));
  return createServiceYamlReader(resolve(opts.root, location), location);
}

function snapshotText(snapshot: Snapshot, location: string, code: 'NOT_FOUND' | 'SERVICE_INVALID'): string {
  const text = snapshot.read(location);
  if (text === undefined) {
    throw new ModelgovError(code, `${location} is not in ${snapshot.label}`, {
      file: location,
      fix: `Commit ${location}, or fix its location in modelgov.config.json.`,
    });
  }
  return text;
}

/** A local manifest as a commit holds it: read-only (nothing writes into a commit). */
function snapshotManifestStore(location: string, snapshot: Snapshot): ManifestStore {
  return {
    location,
    async read() {
      const text = snapshotText(snapshot, location, 'NOT_FOUND');
      return { text, version: `${snapshot.label}:${location}` };
    },
    async write() {
      throw new ModelgovError('INTERNAL', `${location} at ${snapshot.label} is read-only`, { fix: 'This is a bug in modelgov; please report it.' });
    },
  };
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
