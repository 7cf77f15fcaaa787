// kctl rollout resume: lets a paused Deployment roll out again.
import type { Command } from 'commander';
import { registerPatchCommand } from './object-patcher.js';

export function register(rollout: Command): void {
  registerPatchCommand(rollout, 'resume', 'Resume a paused resource', 'resumed', (obj) => {
    if (obj.kind !== 'Deployment') return { error: 'resuming is not supported' };
    if (!obj.spec?.paused) return { error: 'is not paused' };
    return { patch: { spec: { paused: null } } };
  });
}
