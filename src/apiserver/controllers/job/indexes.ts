// Completion indexes of an Indexed Job as status.completedIndexes writes them: ascending,
// consecutive runs as ranges ("1,3-5,7").

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** The indexes a completedIndexes text lists; malformed parts are ignored (the status is ours). */
export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const end = Number(m[2] ?? m[1]);
    for (let i = Number(m[1]); i <= end; i++) out.add(i);
  }
  return out;
}

export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    parts.push(start === sorted[i] ? String(start) : `${start}-${sorted[i]}`);
  }
  return parts.join(',');
}

/** The completion index a pod of the job carries (annotation first, as Kubernetes reads it), if valid. */
export function podIndex(pod: { metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> } }, completions: number): number | undefined {
  const text = pod.metadata?.annotations?.[COMPLETION_INDEX] ?? pod.metadata?.labels?.[COMPLETION_INDEX];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const index = Number(text);
  return index < completions ? index : undefined;
}
