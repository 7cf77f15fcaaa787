// The provider of a local cluster: `kctl cluster add-nodes GROUP --count N` and `kctl cluster
// remove-nodes NAME...`, run with the cluster's KCTL_HOME. The CLI started the cluster and knows
// how its nodes are made (agents on this computer, simulated machines, hollow nodes) and records
// what it starts in cluster.json, so `cluster down` stops autoscaled nodes like the others.
// One command at a time: each rewrites cluster.json.
import { execFile } from 'node:child_process';
import type { NodeGroupSpec } from '../../../api/node-groups.js';
import type { NodeGroupProvider } from './node-group-provider.js';

export class CommandProvider implements NodeGroupProvider {
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    /** The command line of kctl (node and its script). */
    private readonly kctl: string[],
    private readonly home: string,
    private readonly timeoutMs = 600_000,
  ) {}

  increaseSize(group: NodeGroupSpec, delta: number): Promise<void> {
    return this.run(['cluster', 'add-nodes', group.name, '--count', String(delta)]);
  }

  deleteNodes(_group: NodeGroupSpec, nodes: string[]): Promise<void> {
    return this.run(['cluster', 'remove-nodes', ...nodes]);
  }

  private run(args: string[]): Promise<void> {
    const next = this.last.catch(() => undefined).then(
      () =>
        new Promise<void>((resolve, reject) => {
          execFile(this.kctl[0], [...this.kctl.slice(1), ...args], { env: { ...process.env, KCTL_HOME: this.home }, timeout: this.timeoutMs }, (err, _stdout, stderr) => {
            if (!err) return resolve();
            const why = stderr.trim().split('\n').filter(Boolean).pop() ?? err.message;
            reject(new Error(`kctl ${args.join(' ')}: ${why}`));
          });
        }),
    );
    this.last = next;
    return next;
  }
}
