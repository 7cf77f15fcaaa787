// What starts and stops the nodes of a group, as cluster-autoscaler's cloud provider: the
// autoscaler decides, the provider acts. Implementations: node agents on this computer, simulated
// machines, hollow nodes (see command-provider.ts and the CLI's cluster/node-groups/).
import type { NodeGroupSpec } from '../../../api/node-groups.js';

export interface NodeGroupProvider {
  /** Starts `delta` new nodes of the group; resolves once they are started (their Nodes register afterwards). */
  increaseSize(group: NodeGroupSpec, delta: number): Promise<void>;
  /** Stops the named nodes of the group and removes what they ran; their Node objects are left to the caller. */
  deleteNodes(group: NodeGroupSpec, nodes: string[]): Promise<void>;
}
