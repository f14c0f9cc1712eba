/**
 * The section modelgov writes when a repo has no template of its own, in the same template
 * language repos can use (a starting point for a custom one). Rows for metrics and facts the
 * manifest does not have are left out; the note and the table of other models only appear when
 * there is something to show. It ends with a table or paragraph, never a list: an end marker
 * indented by 2-3 spaces right after a list would become part of its last item.
 */
export const DEFAULT_TEMPLATE = `{{generated_comment}}
| Property | Value |
| --- | --- |
| System ID | \`{{system}}\` |
{{#if production.id}}
| Production Model | \`{{production.id}}\` |
{{#if production.gcs_path}}
| Model file | \`{{production.gcs_path}}\` |
{{/if}}
{{#if production.feature_count}}
| Features | {{production.feature_count}} |
{{/if}}
| Training window | {{production.training_window}} |
{{#if production.training_samples}}
| Training samples | {{production.training_samples}} |
{{/if}}
{{#if production.hit_rate_3plus}}
| High-edge hit rate (3+) | {{production.hit_rate_3plus}} |
{{/if}}
{{#if production.hit_rate_5plus}}
| High-edge hit rate (5+) | {{production.hit_rate_5plus}} |
{{/if}}
{{#if production.evaluation.graded_edge_3plus}}
| Graded picks (edge 3+) | {{production.evaluation.graded_edge_3plus}} |
{{/if}}
{{#if production.evaluation.mae}}
| MAE | {{production.evaluation.mae}} |
{{/if}}
{{#if production.evaluation.vegas_bias}}
| Vegas bias | {{production.evaluation.vegas_bias}} |
{{/if}}
| SHA256 | {{#if production.sha256}}\`{{production.sha256_short}}\`{{else}}—{{/if}} |
| Status | {{production.status_line}} |
{{else}}
| Production Model | none: no model of {{system}} is production |
{{/if}}
{{#if production.note}}

**Note:** {{production.note}}
{{/if}}
{{#if others}}

| Other models (not serving) | Status | Training window |
| --- | --- | --- |
{{#each others}}
| \`{{id}}\` | {{status}} | {{training_window}} |
{{/each}}
{{/if}}
`;
