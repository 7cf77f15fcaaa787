// Which patch a client computes and sends for an object, as kubectl decides: a strategic merge
// patch for the built-in kinds, whose fields carry patch strategies; a JSON merge patch for custom
// resources, which have none (the server refuses a strategic one with 415).
import type { ResourceType } from '../resources.js';

export interface ClientPatch {
  type: 'strategic' | 'merge';
  /** The kind whose patch strategies the diff follows; undefined for none (a JSON merge patch). */
  kind: string | undefined;
}

export function clientPatchFor(r: ResourceType): ClientPatch {
  return r.custom ? { type: 'merge', kind: undefined } : { type: 'strategic', kind: r.kind };
}
