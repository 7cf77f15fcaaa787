// The resource type of a kind kubectl's generators can build, whether or not this server serves it
// yet: the request then goes to the kind's usual path and the server answers 404, as a cluster
// without the kind does for kubectl.
import { findByApiVersionKind, type ResourceType } from '../api/resources.js';

export function kindResource(apiVersion: string, kind: string, plural: string, namespaced: boolean): ResourceType {
  const served = findByApiVersionKind(apiVersion, kind);
  if (served) return served;
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind,
    plural,
    singular: kind.toLowerCase(),
    shortNames: [],
    namespaced,
    subresources: [],
    categories: [],
    statusSubresource: false,
  };
}
