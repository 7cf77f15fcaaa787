// What Docker holds of one pod on this node: its sandbox and every run of each of its containers,
// found by their labels (so an agent restarted at any moment finds them again).
import type { DockerClient } from '../docker/docker-client.js';
import type { ContainerInspect } from '../docker/types.js';
import { CONTAINER_NAME_LABEL, NODE_LABEL, POD_UID_LABEL, SANDBOX_CONTAINER_NAME } from './containers.js';
import { attempt } from './container-runs.js';

export interface PodContainers {
  sandbox?: ContainerInspect;
  /** By container name, the latest run first. */
  runs: Map<string, ContainerInspect[]>;
  all: ContainerInspect[];
}

export async function inspectPodContainers(docker: DockerClient, uid: string, node: string): Promise<PodContainers> {
  const summaries = await docker.listContainers({ all: true, filters: { label: [`${POD_UID_LABEL}=${uid}`, `${NODE_LABEL}=${node}`] } });
  // A container removed between the list and its inspection is simply not there.
  const inspected = await Promise.all(summaries.map((s) => docker.inspectContainer(s.Id).catch(() => undefined)));
  const all = inspected.filter((c): c is ContainerInspect => c !== undefined);
  const runs = new Map<string, ContainerInspect[]>();
  let sandbox: ContainerInspect | undefined;
  for (const c of all) {
    const name = c.Config.Labels?.[CONTAINER_NAME_LABEL] ?? '';
    if (name === SANDBOX_CONTAINER_NAME) {
      if (!sandbox || c.State.Running) sandbox = c;
      continue;
    }
    runs.set(name, [...(runs.get(name) ?? []), c]);
  }
  for (const list of runs.values()) list.sort((a, b) => attempt(b) - attempt(a));
  return { sandbox, runs, all };
}
