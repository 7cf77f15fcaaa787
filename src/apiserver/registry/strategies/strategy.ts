// What a resource kind adds to the generic REST storage, like the strategies of Kubernetes'
// pkg/registry. The registry runs, on create: schema validation, metadata preparation (uid),
// initialStatus, applyDefaults, then validate; on update: prepareForUpdate, applyDefaults, validate
// and validateUpdate.
// Validation may assume the object passed schema validation.
import type { KubeObject, StatusCause } from '../../../api/types.js';

export interface Strategy {
  /** Kubernetes' PrepareForUpdate: carry over or drop fields given the stored object, before defaults. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Kubernetes' defaulting on create and update; idempotent. */
  applyDefaults(obj: KubeObject): void;
  /** Semantic validation beyond the schema (field paths as above). old is set on update. */
  validate(obj: KubeObject, old?: KubeObject): StatusCause[];
  /** Fields that cannot change after create, as Kubernetes enforces (e.g. Deployment spec.selector, Job spec.selector/template, Service clusterIP once set). */
  validateUpdate?(obj: KubeObject, old: KubeObject): StatusCause[];
  /**
   * The object a write to a subresource (other than the generic `status`) makes from what was
   * sent and what is stored; undefined: the registry's generic handling.
   */
  mergeSubresource?(subresource: string | undefined, sent: KubeObject, old: KubeObject): KubeObject | undefined;
  /** Initial status on create (e.g. Pod phase Pending, Namespace phase Active). */
  initialStatus?(obj: KubeObject): unknown;
}

/** For kinds Kubernetes neither defaults nor validates beyond their schema and metadata. */
export const genericStrategy: Strategy = {
  applyDefaults() {},
  validate() {
    return [];
  },
};
