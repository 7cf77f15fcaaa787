// Node groups: sets of like nodes the cluster autoscaler may grow and shrink between a minimum and
// a maximum, written `NAME=MIN:MAX[:TEMPLATE]` by `kctl cluster up --node-group` and the daemon's
// --node-group. TEMPLATE says what a new node is: the provider that starts it (node agents on this
// computer, simulated machines, hollow nodes) and its capacity, `KIND[,cpu=Q][,memory=Q][,pods=N]`.
import { Quantity } from './quantity.js';

/** The label every node of a group carries: how the autoscaler knows which group a Node is in. */
export const NODE_GROUP_LABEL = 'node.kctl.io/node-group';

export const NODE_GROUP_KINDS = ['agent', 'machine', 'hollow'] as const;
export type NodeGroupKind = (typeof NODE_GROUP_KINDS)[number];

export interface NodeGroupTemplate {
  kind: NodeGroupKind;
  /** What each node offers; absent, cluster up fills them in before the daemon sees the group. */
  cpu?: string;
  memory?: string;
  pods?: number;
}

export interface NodeGroupSpec {
  name: string;
  min: number;
  max: number;
  template: NodeGroupTemplate;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/;

function count(text: string, what: string, spec: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`node group "${spec}": ${what} must be a non-negative integer, got "${text}"`);
  return Number(text);
}

function positiveQuantity(text: string, what: string, spec: string): string {
  const q = Quantity.parse(text);
  if (!q || q.cmp(Quantity.ZERO) <= 0) throw new Error(`node group "${spec}": ${what} must be a positive quantity (e.g. 2, 500m, 4Gi), got "${text}"`);
  return text;
}

/** Parses `NAME=MIN:MAX[:TEMPLATE]`; `defaultKind` is the template's kind when none is written. */
export function parseNodeGroup(spec: string, defaultKind: NodeGroupKind = 'agent'): NodeGroupSpec {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new Error(`node group "${spec}" must be NAME=MIN:MAX[:TEMPLATE], e.g. workers=1:5 or big=0:3:agent,cpu=2,memory=4Gi`);
  const name = spec.slice(0, eq);
  if (!NAME.test(name)) throw new Error(`node group "${spec}": the name must be lower-case letters, digits and '-' (at most 42), got "${name}"`);
  const [minText = '', maxText = '', ...rest] = spec.slice(eq + 1).split(':');
  const min = count(minText, 'MIN', spec);
  const max = count(maxText, 'MAX', spec);
  if (max < 1 || min > max) throw new Error(`node group "${spec}": MAX must be at least 1 and at least MIN`);
  const template: NodeGroupTemplate = { kind: defaultKind };
  const fields = rest.join(':').split(',').filter(Boolean);
  for (const [i, field] of fields.entries()) {
    const [key, value] = field.split('=', 2);
    if (value === undefined) {
      if (i > 0 || !(NODE_GROUP_KINDS as readonly string[]).includes(key)) {
        throw new Error(`node group "${spec}": the template's kind must be one of ${NODE_GROUP_KINDS.join(', ')}, got "${key}"`);
      }
      template.kind = key as NodeGroupKind;
    } else if (key === 'cpu' || key === 'memory') template[key] = positiveQuantity(value, key, spec);
    else if (key === 'pods') {
      template.pods = count(value, 'pods', spec);
      if (template.pods < 1) throw new Error(`node group "${spec}": pods must be at least 1`);
    } else throw new Error(`node group "${spec}": unknown template field "${key}" (cpu, memory, pods)`);
  }
  return { name, min, max, template };
}

export function formatNodeGroup(g: NodeGroupSpec): string {
  const t = g.template;
  const fields = [t.kind, ...(t.cpu ? [`cpu=${t.cpu}`] : []), ...(t.memory ? [`memory=${t.memory}`] : []), ...(t.pods ? [`pods=${t.pods}`] : [])];
  return `${g.name}=${g.min}:${g.max}:${fields.join(',')}`;
}
