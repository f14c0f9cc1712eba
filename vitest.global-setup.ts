// The config and manifest validators are generated from the schema objects by Ajv (see
// scripts/gen-validators.mjs); tests import src directly, so generate them before any test runs
// — also for a single `npx vitest run test/config` without a build.
export default async function setup(): Promise<void> {
  const { generateValidators } = await import('./scripts/gen-validators.mjs');
  await generateValidators();
}
