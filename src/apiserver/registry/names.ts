// The name-shaped metadata checks every object gets (labels, annotations, name, namespace,
// finalizers), as causes of an Invalid status.
import type { ResourceType } from '../../api/resources.js';
import type { KubeObject, StatusCause } from '../../api/types.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isPathSegmentName, isQualifiedName, isValidLabelValue } from '../../api/validation/names.js';
import { forbidden, invalidEach, required, tooLong } from './strategies/field-errors.js';

/** Kubernetes' TotalAnnotationSizeLimitB: keys and values of all annotations together. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Labels anywhere (metadata, templates, nodeSelector); all causes carry the map's own path. */
export function validateLabels(labels: Record<string, string> | undefined | null, field: string): StatusCause[] {
  if (!labels) return [];
  const causes: StatusCause[] = [];
  for (const key of Object.keys(labels).sort()) {
    causes.push(...invalidEach(field, key, isQualifiedName(key)));
    causes.push(...invalidEach(field, labels[key], isValidLabelValue(labels[key] ?? '')));
  }
  return causes;
}

export function validateAnnotations(annotations: Record<string, string> | undefined | null, field: string): StatusCause[] {
  if (!annotations) return [];
  const causes: StatusCause[] = [];
  let size = 0;
  for (const key of Object.keys(annotations).sort()) {
    // Annotation keys are qualified names in which case does not matter.
    causes.push(...invalidEach(field, key, isQualifiedName(key.toLowerCase())));
    size += key.length + (annotations[key]?.length ?? 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) causes.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return causes;
}

type NameCheck = (name: string) => string[];

// Which rule each kind's names follow, as its Kubernetes validation picks it; every other kind
// is a DNS-1123 subdomain.
const NAME_CHECKS: Record<string, NameCheck> = {
  Namespace: isDNS1123Label,
  Service: isDNS1035Label,
  Role: isPathSegmentName,
  ClusterRole: isPathSegmentName,
  RoleBinding: isPathSegmentName,
  ClusterRoleBinding: isPathSegmentName,
};

function nameCheckFor(r: ResourceType): NameCheck {
  return (!r.custom && NAME_CHECKS[r.kind]) || isDNS1123Subdomain;
}

/** A generateName prefix is checked as a name, its trailing dash masked (Kubernetes' maskTrailingDash). */
function asPrefix(generateName: string): string {
  return generateName.length > 1 && generateName.endsWith('-') ? `${generateName.slice(0, -2)}a` : generateName;
}

/**
 * The name-shaped parts of ObjectMeta: name, generateName, namespace, label and annotation keys,
 * finalizers. A missing name is left to the metadata preparation that generates names.
 */
export function validateObjectMetaNames(r: ResourceType, obj: KubeObject): StatusCause[] {
  const meta = obj.metadata ?? {};
  const check = nameCheckFor(r);
  const causes: StatusCause[] = [];
  if (meta.generateName) causes.push(...invalidEach('metadata.generateName', meta.generateName, check(asPrefix(meta.generateName))));
  if (meta.name) causes.push(...invalidEach('metadata.name', meta.name, check(meta.name)));
  if (r.namespaced) {
    if (!meta.namespace) causes.push(required('metadata.namespace'));
    else causes.push(...invalidEach('metadata.namespace', meta.namespace, isDNS1123Label(meta.namespace)));
  } else if (meta.namespace) {
    causes.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  causes.push(...validateLabels(meta.labels, 'metadata.labels'));
  causes.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  for (const finalizer of meta.finalizers ?? []) causes.push(...invalidEach('metadata.finalizers', finalizer, isQualifiedName(finalizer)));
  return causes;
}

