// Pure: what an HPA's `behavior` lets a recommendation become. First the stabilization windows (the
// lowest recommendation of the scale-up window and the highest of the scale-down window bound the
// change, so a brief dip does not remove pods), then the rate policies (how many pods a period may
// add or remove, counting the changes already made in it), then minReplicas/maxReplicas. Defaults
// as autoscaling/v2's: scale up by 100% or 4 pods per 15 s with no window, down by 100% per 15 s
// after a 300 s window (the window set by the controller's option when the HPA names none).

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: ScalingPolicy[];
}

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

/** A recommendation made, or a change applied, at a time (ms since the epoch). */
export interface TimedValue {
  at: number;
  value: number;
}

export interface History {
  recommendations: TimedValue[];
  scaleUps: TimedValue[];
  scaleDowns: TimedValue[];
}

export const DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = 300;

export function defaultRules(rules: ScalingRules | undefined, up: boolean, downscaleWindowSeconds: number): Required<ScalingRules> {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? (up ? 0 : downscaleWindowSeconds),
    selectPolicy: rules?.selectPolicy ?? 'Max',
    policies: rules?.policies?.length ? rules.policies : up
      ? [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }]
      : [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

export interface Normalized {
  replicas: number;
  /** Why stabilization held the count back, if it did (AbleToScale's reason). */
  stabilized?: { reason: string; message: string };
  /** ScalingLimited's reason and message. */
  limit: { limited: boolean; reason: string; message: string };
}

export interface NormalizeArgs {
  current: number;
  desired: number;
  minReplicas: number;
  maxReplicas: number;
  behavior: Behavior | undefined;
  downscaleWindowSeconds: number;
  now: number;
}

/** Applies the windows, the rate policies and the bounds; records `desired` in the history. */
export function normalizeReplicas(a: NormalizeArgs, history: History): Normalized {
  const up = defaultRules(a.behavior?.scaleUp, true, a.downscaleWindowSeconds);
  const down = defaultRules(a.behavior?.scaleDown, false, a.downscaleWindowSeconds);
  const upCutoff = a.now - up.stabilizationWindowSeconds * 1000;
  const downCutoff = a.now - down.stabilizationWindowSeconds * 1000;
  let upRecommendation = a.desired;
  let downRecommendation = a.desired;
  for (const r of history.recommendations) {
    if (r.at > upCutoff) upRecommendation = Math.min(upRecommendation, r.value);
    if (r.at > downCutoff) downRecommendation = Math.max(downRecommendation, r.value);
  }
  const oldest = Math.min(upCutoff, downCutoff);
  history.recommendations = history.recommendations.filter((r) => r.at > oldest);
  history.recommendations.push({ at: a.now, value: a.desired });
  let stabilizedValue = Math.min(Math.max(a.current, upRecommendation), downRecommendation);
  let stabilized: Normalized['stabilized'];
  if (stabilizedValue !== a.desired) {
    stabilized = stabilizedValue < a.desired
      ? { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
      : { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
  }
  const within = { limited: false, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
  if (stabilizedValue > a.current) {
    const rateLimit = Math.max(a.current, scaleUpLimit(a.current, history, up, a.now));
    const max = Math.min(a.maxReplicas, rateLimit);
    const limit = a.maxReplicas > rateLimit
      ? { limited: true, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
      : { limited: true, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    if (stabilizedValue > max) return { replicas: max, stabilized, limit };
  } else if (stabilizedValue < a.current) {
    const rateLimit = Math.min(a.current, scaleDownLimit(a.current, history, down, a.now));
    const min = Math.max(a.minReplicas, rateLimit);
    const limit = a.minReplicas < rateLimit
      ? { limited: true, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
      : { limited: true, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    if (stabilizedValue < min) return { replicas: min, stabilized, limit };
  }
  // A count already outside the bounds goes back within them.
  if (stabilizedValue > a.maxReplicas) stabilizedValue = a.maxReplicas;
  if (stabilizedValue < a.minReplicas) stabilizedValue = a.minReplicas;
  return { replicas: stabilizedValue, stabilized, limit: within };
}

/** Records an applied change, so later periods count it against the policies. */
export function recordScale(history: History, from: number, to: number, now: number): void {
  if (to > from) history.scaleUps.push({ at: now, value: to - from });
  else if (to < from) history.scaleDowns.push({ at: now, value: from - to });
  // No policy period is longer than 30 minutes (the API's bound).
  const cutoff = now - 1800 * 1000;
  history.scaleUps = history.scaleUps.filter((e) => e.at > cutoff);
  history.scaleDowns = history.scaleDowns.filter((e) => e.at > cutoff);
}

function changedWithin(events: TimedValue[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.filter((e) => e.at > cutoff).reduce((s, e) => s + e.value, 0);
}

function scaleUpLimit(current: number, h: History, rules: Required<ScalingRules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = current - changedWithin(h.scaleUps, p.periodSeconds, now) + changedWithin(h.scaleDowns, p.periodSeconds, now);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

function scaleDownLimit(current: number, h: History, rules: Required<ScalingRules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = current + changedWithin(h.scaleDowns, p.periodSeconds, now) - changedWithin(h.scaleUps, p.periodSeconds, now);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  // Max lets the most pods go: the lowest limit.
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}
