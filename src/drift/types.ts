/** Kinds of drift, one per place that can disagree with the manifest. */
export const DRIFT_KINDS = ['manifest', 'registry', 'docs', 'deployment-model', 'deployment-code', 'filename'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/** One disagreement, with the exact fix. The `drift --json` shape. */
export interface Finding {
  kind: DriftKind;
  system: string;
  subject: string;
  expected: string;
  actual: string;
  fix: string;
}
