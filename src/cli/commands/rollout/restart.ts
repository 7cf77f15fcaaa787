// kctl rollout restart: a new rollout of the same template, by stamping the template with
// kubectl.kubernetes.io/restartedAt (the time, RFC 3339 in local time as Go formats it).
import type { Command } from 'commander';
import { RESTARTED_AT_ANNOTATION } from '../../../api/deployment-revisions.js';
import { registerPatchCommand } from './object-patcher.js';
import type { IOStreams } from '../../io-streams.js';

/** Go's time.Now().Format(time.RFC3339): local time, `Z` or a ±hh:mm offset. */
export function localRfc3339(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const local = new Date(date.getTime() + offset * 60_000).toISOString().replace(/\.\d{3}Z$/, '');
  return offset === 0 ? `${local}Z` : `${local}${offset > 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

export function register(rollout: Command, io: IOStreams): void {
  registerPatchCommand(rollout, io, 'restart', 'Restart a resource', 'restarted', (obj) => {
    if (obj.kind !== 'Deployment') return { error: 'restarting is not supported' };
    if (obj.spec?.paused) return { error: "can't restart paused deployment (run rollout resume first)" };
    return { patch: { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: localRfc3339(new Date()) } } } } } };
  });
}
