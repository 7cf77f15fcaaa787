// What every volume type's set-up gets, and what it gives back for the containers' mounts.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../../api/client.js';
import type { DockerClient } from '../../docker/docker-client.js';
import type { PodPlacement } from '../containers.js';
import type { DownwardContext } from './downward-api-volume.js';
import type { ServiceAccountTokens } from './service-account-token.js';

export interface VolumeContext extends DownwardContext {
  pod: Pod;
  /** The volume's own directory, `<data dir>/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>`, as the kubelet lays it out. */
  dir(plugin: string): string;
  client: ApiClient;
  docker: DockerClient;
  placement: PodPlacement;
  tokens: ServiceAccountTokens;
}

/** Where a set-up volume is: a host path to bind, or a Docker named volume (tmpfs emptyDir). */
export type MountSource = { kind: 'bind'; path: string; readOnly: boolean } | { kind: 'volume'; name: string };
