// kctl rollout pause: marks a Deployment paused (spec.paused), so template changes wait.
import type { Command } from 'commander';
import { registerPatchCommand } from './object-patcher.js';

export function register(rollout: Command): void {
  registerPatchCommand(rollout, 'pause', 'Mark the provided resource as paused', 'paused', (obj) => {
    if (obj.kind !== 'Deployment') return { error: 'pausing is not supported' };
    if (obj.spec?.paused) return { error: 'is already paused' };
    return { patch: { spec: { paused: true } } };
  });
}
