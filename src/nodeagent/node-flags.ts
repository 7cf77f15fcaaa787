// The agent's --labels and --taints, in the kubelet's --node-labels and --register-with-taints
// syntax. Only the syntax is checked here: the API server validates keys and values when the
// Node is registered, with Kubernetes' own messages.

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

const EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export class FlagError extends Error {}

function items(spec: string): string[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `k=v,k2=v2`; a later key wins, as a map flag does. */
export function parseLabels(spec: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of items(spec)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new FlagError(`invalid label "${item}": expected key=value`);
    labels[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return labels;
}

/** `key=value:Effect` or `key:Effect`, comma-separated; a key may appear once per effect. */
export function parseTaints(spec: string): Taint[] {
  const taints: Taint[] = [];
  for (const item of items(spec)) {
    const colon = item.lastIndexOf(':');
    if (colon < 0) throw new FlagError(`invalid taint spec "${item}": expected key=value:Effect or key:Effect`);
    const effect = item.slice(colon + 1);
    if (!EFFECTS.includes(effect as TaintEffect)) {
      throw new FlagError(`invalid taint effect "${effect}" in "${item}": unsupported taint effect, must be one of ${EFFECTS.join(', ')}`);
    }
    const keyValue = item.slice(0, colon);
    const eq = keyValue.indexOf('=');
    const key = eq < 0 ? keyValue : keyValue.slice(0, eq);
    if (!key) throw new FlagError(`invalid taint spec "${item}": the key is empty`);
    if (taints.some((t) => t.key === key && t.effect === effect)) {
      throw new FlagError(`duplicate taint "${key}:${effect}": a key may appear once per effect`);
    }
    const taint: Taint = { key, effect: effect as TaintEffect };
    const value = eq < 0 ? '' : keyValue.slice(eq + 1);
    // An empty value is no value, as the API omits it.
    if (value) taint.value = value;
    taints.push(taint);
  }
  return taints;
}
