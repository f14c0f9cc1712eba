/**
 * Endpoint overrides for emulators and test fakes: which variables point a Google service
 * elsewhere, how their values are read, and the warning when one points off this machine.
 */
import { ModelgovError } from '../../errors.js';

/** An endpoint URL with any `user:password@` replaced by `***@`: never echo a secret. */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

/** Hosts that are this machine: an override pointing elsewhere gets a warning. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1' || h === '::ffff:127.0.0.1';
}

/**
 * Variables already warned about, per environment: once per process for the CLI, and once per
 * `main()` call for a caller that runs modelgov in-process with an environment of its own.
 */
const warnedOverrides = new WeakMap<NodeJS.ProcessEnv, Set<string>>();

export type GoogleService = 'gcs' | 'bigquery' | 'cloudrun';

interface ServiceInfo {
  label: string;
  /** modelgov's override variable. */
  variable: string;
  /** Other variables honoured, in order after `variable`. */
  aliases: readonly string[];
  defaultUrl: string;
  /** Path suffix users sometimes include in a base URL; stripped so both spellings work. */
  apiPath?: string;
}

export const GOOGLE_SERVICES: Record<GoogleService, ServiceInfo> = {
  gcs: {
    label: 'Cloud Storage',
    variable: 'MODELGOV_GCS_ENDPOINT',
    aliases: ['STORAGE_EMULATOR_HOST'],
    defaultUrl: 'https://storage.googleapis.com',
    apiPath: '/storage/v1',
  },
  bigquery: {
    label: 'BigQuery',
    variable: 'MODELGOV_BIGQUERY_ENDPOINT',
    aliases: [],
    defaultUrl: 'https://bigquery.googleapis.com',
    apiPath: '/bigquery/v2',
  },
  cloudrun: {
    label: 'Cloud Run',
    variable: 'MODELGOV_CLOUDRUN_ENDPOINT',
    aliases: [],
    defaultUrl: 'https://run.googleapis.com',
  },
};

/** An endpoint override in effect: a base URL and the variable it came from. */
export interface Endpoint {
  /** Base URL without trailing slash or API path, e.g. `http://127.0.0.1:4443`. */
  url: string;
  /** Variable that set it, for messages. */
  variable: string;
}

/**
 * The endpoint override for `service` from `env`, or undefined for the real service.
 * A value without a scheme (`localhost:4443`, as the Go and Python storage clients accept for
 * STORAGE_EMULATOR_HOST) means plain http: emulators do not speak TLS. A trailing API path
 * (`/storage/v1`, `/bigquery/v2`) is accepted and stripped.
 */
export function endpointOverride(
  service: GoogleService,
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Endpoint | undefined {
  const info = GOOGLE_SERVICES[service];
  for (const variable of [info.variable, ...info.aliases]) {
    const raw = env[variable]?.trim();
    if (!raw) continue;
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    let parsed: URL;
    try {
      parsed = new URL(withScheme);
    } catch {
      throw new ModelgovError('CONFIG_INVALID', `${variable}="${redactUrl(raw)}" is not a URL.`, {
        fix: `Set ${variable} to a base URL such as http://127.0.0.1:4443, or unset it to use the real ${info.label}.`,
      });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ModelgovError('CONFIG_INVALID', `${variable}="${redactUrl(raw)}" must be an http:// or https:// URL.`, {
        fix: `Set ${variable} to a base URL such as http://127.0.0.1:4443.`,
      });
    }
    let path = parsed.pathname.replace(/\/+$/, '');
    if (info.apiPath && path.endsWith(info.apiPath)) path = path.slice(0, -info.apiPath.length);
    if (service === 'cloudrun' && path !== '') {
      // The gax REST transport takes host and port only; a path prefix would be dropped silently.
      throw new ModelgovError('CONFIG_INVALID', `${variable}="${redactUrl(raw)}" has a path; Cloud Run endpoints are scheme://host:port.`, {
        fix: `Set ${variable} to e.g. http://127.0.0.1:8085.`,
      });
    }
    // An emulator override is meant for this machine; pointing it elsewhere sends every request
    // (and the placeholder token) to that host. Allowed, but never silently: one line per variable.
    const warned = warnedOverrides.get(env) ?? new Set<string>();
    warnedOverrides.set(env, warned);
    if (!isLoopbackHost(parsed.hostname) && !warned.has(variable)) {
      warned.add(variable);
      warn(`modelgov: warning: ${variable} points at ${parsed.host}, not this machine; ${info.label} requests go there.`);
    }
    return { url: `${parsed.protocol}//${parsed.host}${path}`, variable };
  }
  return undefined;
}
