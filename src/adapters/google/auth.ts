/**
 * Credentials for the Google clients: the key file named in the adapter's environment, the
 * placeholder token sent to emulators and fakes, and the check that credentials exist before the
 * first real request. `google-auth-library` is imported only when a placeholder token is needed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ModelgovError } from '../../errors.js';
import type { GoogleContext, Operation } from './context.js';
import { classify, toModelgovError } from './errors.js';

// google-auth-library warns (MetadataLookupWarning) whenever it probes for a GCE metadata server
// and finds none, i.e. on every laptop: noise on stderr that says nothing to a modelgov user.
// Only that one warning type is dropped; every other warning still prints. Installed when the
// first Google adapter loads (each of them loads this module), before any client exists.
const emitWarning = process.emitWarning;
process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
  const opt = rest[0] as string | { type?: string } | undefined;
  const type = typeof opt === 'string' ? opt : opt?.type;
  if (type === 'MetadataLookupWarning' || (warning instanceof Error && warning.name === 'MetadataLookupWarning')) return;
  return (emitWarning as (...a: unknown[]) => void).call(this, warning, ...rest);
} as typeof process.emitWarning;

/** The service-account (or other) key file GOOGLE_APPLICATION_CREDENTIALS names, as read. */
export interface KeyFile {
  /** The variable's value, for messages. */
  file: string;
  /** Its parsed JSON, for the client's `credentials` option. */
  credentials?: Record<string, unknown>;
  /** Why it cannot be used (missing, not JSON): reported by the credentials check. */
  problem?: string;
}

/**
 * The key file of the adapter's environment. The client libraries read
 * GOOGLE_APPLICATION_CREDENTIALS from `process.env` themselves; modelgov reads it from its own
 * environment and hands the parsed key to the client (`credentials`), so a caller that runs
 * modelgov in-process with an environment of its own gets the credentials of that environment,
 * as a spawned process would. Parsed as Application Default Credentials parse it: a file that is
 * not JSON is an error (the client's `keyFilename` would take it for a PEM key and fail later).
 */
export function readKeyFile(env: NodeJS.ProcessEnv): KeyFile | undefined {
  const file = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { file, problem: code === 'ENOENT' || code === 'EISDIR' ? `the file ${file} does not exist, or it is not a file` : (e as Error).message };
  }
  try {
    const credentials = JSON.parse(text) as unknown;
    if (credentials && typeof credentials === 'object' && !Array.isArray(credentials)) return { file, credentials: credentials as Record<string, unknown> };
    return { file, problem: 'it is not a JSON object' };
  } catch (e) {
    return { file, problem: (e as Error).message };
  }
}

/** The client option for a key file that could be read; nothing otherwise (the check reports it). */
export function keyFileOptions(key: KeyFile | undefined): { credentials?: Record<string, unknown> } {
  return key?.credentials ? { credentials: key.credentials } : {};
}

/**
 * An auth client that sends a fixed placeholder token and never looks up credentials, for
 * emulators and fakes (the BigQuery and Cloud Run clients authenticate even against a custom
 * endpoint, and without this they would search for Application Default Credentials).
 */
export async function placeholderAuthClient(): Promise<unknown> {
  const { OAuth2Client } = await import('google-auth-library');
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'placeholder', expiry_date: Date.now() + 3.6e6 });
  return client;
}

/** The check `credentialsCheck` returns: `at` names the location in the error (default: the client's). */
export type CredentialsCheck = (op: Operation, at?: GoogleContext) => Promise<void>;

/**
 * Checks once that credentials exist before the first real-service request, so a missing login
 * is CREDENTIALS ("run gcloud auth application-default login") before any connection, instead of
 * an unauthenticated request's "anonymous caller" 401 or a hang. `getClient` asks the SDK's own
 * auth client; `skip` when an auth client was injected or an endpoint override needs none. A
 * failed check is run again on the next call. `key` is the key file of the adapter's environment.
 */
export function credentialsCheck(getClient: () => Promise<unknown>, ctx: GoogleContext, skip: boolean, key: KeyFile | undefined): CredentialsCheck {
  let checked = skip;
  return async (op, at = ctx) => {
    if (checked) return;
    try {
      if (key?.problem) throw new Error(key.problem);
      await getClient();
    } catch (err) {
      const c = classify(err, at.service === 'cloudrun');
      if (c.timeout || c.network || c.status !== undefined || c.noCredentials) throw toModelgovError(err, at, op);
      // Anything else the auth client throws while loading credentials is about the credentials
      // themselves (a key file that is not JSON, lacks client_email, does not exist), not a bug.
      const file = key?.file;
      throw new ModelgovError(
        'CREDENTIALS',
        `Google Cloud credentials could not be loaded${file ? ` from GOOGLE_APPLICATION_CREDENTIALS=${file}` : ''} to ${op.what} (${at.location}): ${c.message}`,
        {
          file: at.location,
          cause: err,
          fix: file
            ? `Point GOOGLE_APPLICATION_CREDENTIALS at a valid service-account key file (JSON, as downloaded from IAM), or unset it and run \`gcloud auth application-default login\`; the account needs ${op.permission} (${op.role}).`
            : `Run \`gcloud auth application-default login\`; the account needs ${op.permission} (${op.role}).`,
        },
      );
    }
    checked = true;
  };
}
