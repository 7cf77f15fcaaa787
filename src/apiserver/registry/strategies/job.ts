// Jobs: batch/v1 defaults, the selector and labels Kubernetes generates from the job's uid
// (unless spec.manualSelector), ValidateJob, and what a Job update may not change.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { applyPodTemplateDefaults, validatePodTemplate } from './pod-spec.js';
import { goStringMap, immutable, invalid, notSupported, required, validateNonnegative } from './field-errors.js';
import { formatLabelSelector, selectorOf, validateLabelSelector, validateTemplateMatchesSelector } from './selector-validation.js';
import { semanticallyEqual } from './equality.js';

const CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
const JOB_NAME = 'batch.kubernetes.io/job-name';
// The unprefixed labels Kubernetes still sets for older clients.
const LEGACY_CONTROLLER_UID = 'controller-uid';
const LEGACY_JOB_NAME = 'job-name';
const MAX_INT32 = 2147483647;

function applyDefaults(job: KubeObject): void {
  const spec = (job.spec ??= {});
  if (spec.completions == null && spec.parallelism == null) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? MAX_INT32 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  applyPodTemplateDefaults(spec.template);
  // Kubernetes copies the template labels to an unlabelled job when it decodes the request, and
  // again when it reads the job back, by then with the generated labels: hence before and after.
  defaultLabelsToTemplateLabels(job);
  if (spec.manualSelector !== true && job.metadata.uid) generateSelector(job);
  defaultLabelsToTemplateLabels(job);
}

function defaultLabelsToTemplateLabels(job: KubeObject): void {
  const templateLabels = job.spec.template?.metadata?.labels;
  if (templateLabels && !Object.keys(job.metadata.labels ?? {}).length) job.metadata.labels = { ...templateLabels };
}

/** Labels the template with the job's name and uid, and selects by uid; labels the user set are kept (validation rejects conflicts). */
function generateSelector(job: KubeObject): void {
  const { name, uid } = job.metadata;
  const template = (job.spec.template ??= {});
  const labels: Record<string, string> = ((template.metadata ??= {}).labels ??= {});
  for (const key of [LEGACY_JOB_NAME, JOB_NAME]) labels[key] ??= name!;
  for (const key of [LEGACY_CONTROLLER_UID, CONTROLLER_UID]) labels[key] ??= uid!;
  const matchLabels = ((job.spec.selector ??= {}).matchLabels ??= {});
  matchLabels[CONTROLLER_UID] ??= uid!;
}

/** A generated selector must be exactly what generateSelector produced, on labels that say so. */
function validateGeneratedSelector(job: KubeObject): StatusCause[] {
  const spec = job.spec;
  if (spec.manualSelector === true) return [];
  const labels: Record<string, string> | undefined = spec.template?.metadata?.labels;
  if (!labels) return [required('spec.template.metadata.labels')];
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  const causes = uid ? [] : [required('metadata.uid')];
  const expected = { [LEGACY_CONTROLLER_UID]: uid, [LEGACY_JOB_NAME]: name, [CONTROLLER_UID]: uid, [JOB_NAME]: name };
  for (const [key, value] of Object.entries(expected)) {
    const field = `spec.template.metadata.labels[${key}]`;
    if (!(key in labels)) causes.push(required(field, value));
    else if (labels[key] !== value) causes.push(invalid(field, goStringMap(labels), `must be '${value}'`));
  }
  if (!selectorOf(spec.selector)?.matches(expected)) {
    causes.push(invalid('spec.selector', formatLabelSelector(spec.selector), '`selector` not auto-generated'));
  }
  return causes;
}

/**
 * What a Job and a CronJob's job template share: counts, completion mode, and a template whose
 * pods run to completion.
 */
export function validateJobSpec(spec: any, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const count of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'] as const) {
    causes.push(...validateNonnegative(`${field}.${count}`, spec[count]));
  }
  if (spec.completionMode === 'Indexed' && spec.completions == null) causes.push(required(`${field}.completions`, 'when completion mode is Indexed'));
  causes.push(...validatePodTemplate(spec.template, `${field}.template`));
  const restartPolicy = spec.template?.spec?.restartPolicy;
  if (spec.template && restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    causes.push(notSupported(`${field}.template.spec.restartPolicy`, restartPolicy, ['OnFailure', 'Never']));
  }
  return causes;
}

function validate(job: KubeObject): StatusCause[] {
  const spec = job.spec ?? {};
  const causes = validateGeneratedSelector(job);
  if (!spec.selector) causes.push(required('spec.selector'));
  else causes.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  causes.push(...validateTemplateMatchesSelector(selectorOf(spec.selector), spec.template?.metadata?.labels, 'spec.template'));
  causes.push(...validateJobSpec(spec, 'spec'));
  return causes;
}

/** A suspended job that never started may still be re-targeted: its scheduling directives and pod labels may change. */
function templateForComparison(job: KubeObject, mutableScheduling: boolean): unknown {
  const template = job.spec?.template;
  if (!mutableScheduling) return template;
  const { nodeSelector, tolerations, affinity, schedulingGates, ...fixedSpec } = template?.spec ?? {};
  return { ...template, metadata: { ...template?.metadata, labels: undefined, annotations: undefined }, spec: fixedSpec };
}

function validateUpdate(job: KubeObject, old: KubeObject): StatusCause[] {
  const spec = job.spec ?? {};
  const oldSpec = old.spec ?? {};
  const causes: StatusCause[] = [];
  if (!semanticallyEqual(spec.selector, oldSpec.selector)) causes.push(immutable('spec.selector', formatLabelSelector(spec.selector)));
  const mutableScheduling = oldSpec.suspend === true && !old.status?.startTime;
  if (!semanticallyEqual(templateForComparison(job, mutableScheduling), templateForComparison(old, mutableScheduling))) {
    causes.push(immutable('spec.template', spec.template));
  }
  if (spec.completionMode !== oldSpec.completionMode) causes.push(immutable('spec.completionMode', spec.completionMode));
  if (spec.completions !== oldSpec.completions) {
    // Indexed jobs are elastic: completions may follow parallelism.
    if (spec.completionMode !== 'Indexed') causes.push(immutable('spec.completions', spec.completions ?? null));
    else if (spec.completions !== spec.parallelism) {
      causes.push(invalid('spec.completions', spec.completions ?? null, 'can only be modified in tandem with spec.parallelism'));
    }
  }
  if (!semanticallyEqual(spec.podFailurePolicy, oldSpec.podFailurePolicy)) causes.push(immutable('spec.podFailurePolicy', spec.podFailurePolicy ?? null));
  return causes;
}

export const jobStrategy: Strategy = {
  applyDefaults,
  validate,
  validateUpdate,
  initialStatus: () => ({}),
};
