// Sets up every volume of a pod before its containers start (each failure a FailedMount event,
// retried with the kubelet's exponential back-off), gives each container its Docker mounts, and
// removes the pod's volumes once the pod is gone.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../../api/client.js';
import type { EventRecorder } from '../../../api/event-recorder.js';
import type { DockerClient } from '../../docker/docker-client.js';
import { DockerError } from '../../docker/errors.js';
import type { Mount } from '../../docker/types.js';
import { NODE_LABEL, POD_UID_LABEL, type PodPlacement } from '../containers.js';
import { podReference } from '../pod-reference.js';
import { CONFIG_ERROR_RETRY_MS, ContainerStartError } from '../start-error.js';
import { writeAtomically } from './atomic-writer.js';
import { CONFIG_MAP_PLUGIN, configMapPayload } from './config-map-volume.js';
import { DOWNWARD_API_PLUGIN, downwardAPIPayload } from './downward-api-volume.js';
import { setUpEmptyDir } from './empty-dir-volume.js';
import { setUpHostPath } from './host-path-volume.js';
import { setUpPersistentVolumeClaim } from './persistent-volume-claim-volume.js';
import { MountError, type Payload } from './payload.js';
import { PROJECTED_PLUGIN, projectedPayload } from './projected-volume.js';
import { SECRET_PLUGIN, secretPayload } from './secret-volume.js';
import type { ServiceAccountTokens } from './service-account-token.js';
import { containerMounts, envMap } from './volume-mounts.js';
import type { MountSource, VolumeContext } from './volume-context.js';

/** The kubelet's volume operation back-off: 500 ms, doubling, at most 2m2s. */
const INITIAL_RETRY_MS = 500;
const MAX_RETRY_MS = 122_000;

export interface PodVolumesOptions {
  client: ApiClient;
  docker: DockerClient;
  placement: PodPlacement;
  /** The node's data dir; pods' volumes live in `<dataDir>/pods/<uid>/volumes`. */
  dataDir: string;
  allocatable: Record<string, string>;
  hostIP: string;
  tokens: ServiceAccountTokens;
  events: EventRecorder;
}

interface Failure {
  error: ContainerStartError;
  delayMs: number;
  retryAt: number;
}

/**
 * The plugin directory and files of a volume whose content the agent writes. (A function, not a
 * table: the modules it names may still be loading when this one is, through pod-sync.)
 */
function written(ctx: VolumeContext, v: Volume): [string, () => Promise<Payload>] | undefined {
  if (v.configMap) return [CONFIG_MAP_PLUGIN, () => configMapPayload(ctx, v.configMap!, v.configMap!.defaultMode)];
  if (v.secret) return [SECRET_PLUGIN, () => secretPayload(ctx, { ...v.secret!, name: v.secret!.secretName }, v.secret!.defaultMode)];
  if (v.downwardAPI) return [DOWNWARD_API_PLUGIN, async () => downwardAPIPayload(ctx.pod, v.downwardAPI!.items, v.downwardAPI!.defaultMode, ctx)];
  if (v.projected) return [PROJECTED_PLUGIN, () => projectedPayload(ctx, v.projected!)];
  return undefined;
}

export class PodVolumes {
  private readonly failures = new Map<string, Failure>();

  constructor(private readonly o: PodVolumesOptions) {}

  private podDir(uid: string): string {
    return join(this.o.dataDir, 'pods', uid);
  }

  /**
   * Sets up (or refreshes) the pod's volumes: where each is. Throws ContainerStartError
   * (ContainerCreating) while one cannot be set up; within its back-off the last error again.
   */
  async setUp(pod: Pod): Promise<Map<string, MountSource>> {
    const uid = pod.metadata!.uid!;
    const failed = this.failures.get(uid);
    if (failed && Date.now() < failed.retryAt) throw new ContainerStartError(failed.error.reason, failed.error.message, failed.retryAt - Date.now());
    const results = await Promise.all((pod.spec?.volumes ?? []).map((v) => this.setUpOne(pod, v)));
    const errors = results.filter((r): r is string => typeof r === 'string');
    if (errors.length === 0) {
      this.failures.delete(uid);
      return new Map((pod.spec?.volumes ?? []).map((v, i) => [v.name, results[i] as MountSource]));
    }
    const delayMs = failed ? Math.min(failed.delayMs * 2, MAX_RETRY_MS) : INITIAL_RETRY_MS;
    // As the kubelet: the containers wait in ContainerCreating; the cause is in the events.
    const error = new ContainerStartError('ContainerCreating', errors[0], delayMs);
    this.failures.set(uid, { error, delayMs, retryAt: Date.now() + delayMs });
    throw error;
  }

  /** A volume's place, or the FailedMount message (already recorded as an event). */
  private async setUpOne(pod: Pod, v: Volume): Promise<MountSource | string> {
    try {
      return await this.mount(pod, v);
    } catch (err) {
      if (!(err instanceof MountError)) throw err;
      const message = `MountVolume.SetUp failed for volume "${v.name}" : ${err.message}`;
      this.o.events.event(podReference(pod), 'Warning', 'FailedMount', message);
      return message;
    }
  }

  private async mount(pod: Pod, v: Volume): Promise<MountSource> {
    const ctx: VolumeContext = {
      pod,
      dir: (plugin) => join(this.podDir(pod.metadata!.uid!), 'volumes', `kubernetes.io~${plugin}`, v.name),
      client: this.o.client,
      docker: this.o.docker,
      placement: this.o.placement,
      tokens: this.o.tokens,
      allocatable: this.o.allocatable,
      hostIPs: [this.o.hostIP],
      podIPs: [],
    };
    if (v.emptyDir) return setUpEmptyDir(ctx, v.name, v.emptyDir);
    if (v.hostPath) return setUpHostPath(v.hostPath);
    if (v.persistentVolumeClaim) return setUpPersistentVolumeClaim(ctx, v.persistentVolumeClaim);
    const files = written(ctx, v);
    if (!files) throw new MountError(`volume type of volume "${v.name}" is not supported by this node`);
    const [plugin, payload] = files;
    const path = ctx.dir(plugin);
    await writeAtomically(path, await payload());
    return { kind: 'bind', path, readOnly: true };
  }

  /** The container's Docker mounts; throws ContainerStartError when they cannot be made. */
  async mountsFor(container: Container, volumes: Map<string, MountSource>, env: string[]): Promise<Mount[]> {
    let made;
    try {
      made = containerMounts(container, volumes, envMap(env));
    } catch (err) {
      if (err instanceof MountError) throw new ContainerStartError('CreateContainerConfigError', err.message, CONFIG_ERROR_RETRY_MS);
      throw err;
    }
    for (const dir of made.subPathDirs) {
      await mkdir(dir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
    return made.mounts;
  }

  /** Removes the pod's volume directories and named volumes; its containers must be gone already. */
  async tearDown(uid: string): Promise<void> {
    this.failures.delete(uid);
    this.o.tokens.forget(uid);
    const named = await this.o.docker.listVolumes({ filters: { label: [`${POD_UID_LABEL}=${uid}`, `${NODE_LABEL}=${this.o.placement.node}`] } });
    await Promise.all(
      named.map((v) =>
        this.o.docker.removeVolume(v.Name).catch((err) => {
          if (!(err instanceof DockerError && err.statusCode === 404)) throw err;
        }),
      ),
    );
    await rm(this.podDir(uid), { recursive: true, force: true });
  }
}
