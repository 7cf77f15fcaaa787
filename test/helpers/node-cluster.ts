// The cluster a describe block of integration tests runs against: the offline images prepared and
// `kctl cluster up` with real node agents before its tests; brought down (every container,
// network and volume removed) after them, whatever happened.
import { after, before } from 'node:test';
import { DockerClient } from '../../src/nodeagent/docker/docker-client.js';
import { prepareOfflineImages } from '../../src/nodeagent/docker/offline-images.js';
import { TestCluster } from './test-cluster.js';

/** upArgs may be worked out just before the cluster starts (free ports, for example). */
export function useNodeCluster(upArgs: string[] | (() => Promise<string[]>)): { c: TestCluster; docker: DockerClient } {
  const c = new TestCluster();
  const docker = new DockerClient();
  before(async () => {
    await prepareOfflineImages(docker);
    await c.up(typeof upArgs === 'function' ? await upArgs() : upArgs);
  });
  after(async () => {
    try {
      await c.down();
    } finally {
      await docker.close();
    }
  });
  return { c, docker };
}
