// Makes a container's image present as its imagePullPolicy says, with the pod's imagePullSecrets
// (the service account's are copied into the pod at admission), the kubelet's events and its
// ErrImagePull / ImagePullBackOff / ErrImageNeverPull waiting reasons.
import type { Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../api/client.js';
import type { EventRecorder, ObjectReference } from '../../api/event-recorder.js';
import type { DockerClient, RegistryAuth } from '../docker/docker-client.js';
import { DockerError } from '../docker/errors.js';
import type { ImageInspect } from '../docker/types.js';
import { PullBackOff, pullPolicy, shouldPull } from './image-pull-policy.js';
import { splitImage } from '../../api/images.js';
import { getOptional } from './container-env.js';
import { pullCredentials } from './pull-credentials.js';
import { podReference } from './pod-reference.js';
import { ContainerStartError } from './start-error.js';

/** The kubelet syncs a pod whose image may not be pulled again on its next pod sync (its worker's back-off). */
const NEVER_PULL_RETRY_MS = 10_000;
/** Soon after a failed pull the next sync reports ImagePullBackOff for the rest of the delay. */
const ERR_IMAGE_PULL_SHOWN_MS = 1000;

/** Go's time.Duration.String() of a duration truncated to milliseconds: 523ms, 1.2s, 1m3.05s. */
export function goMillis(ms: number): string {
  const whole = Math.floor(ms);
  if (whole < 1000) return `${whole}ms`;
  const minutes = Math.floor(whole / 60_000);
  const seconds = ((whole % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

export class ImagePuller {
  private readonly backOff = new PullBackOff();

  constructor(
    private readonly docker: DockerClient,
    private readonly events: EventRecorder,
    private readonly client: ApiClient,
    private readonly log: (msg: string) => void,
  ) {}

  /**
   * The container's image, pulled first if its policy says so; throws ContainerStartError when
   * it is not there and cannot be pulled (yet).
   */
  async ensure(pod: Pod, container: Container, ref: ObjectReference): Promise<ImageInspect> {
    const image = container.image ?? '';
    const present = await this.inspect(image);
    const policy = pullPolicy(container);
    if (!shouldPull(policy, present !== undefined)) {
      if (present) {
        this.events.event(ref, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return present;
      }
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.events.event(ref, 'Warning', 'ErrImageNeverPull', message);
      throw new ContainerStartError('ErrImageNeverPull', message, NEVER_PULL_RETRY_MS, 'ErrImageNeverPull');
    }
    // Per pod and image, as the kubelet keys its back-off.
    const key = `${pod.metadata?.uid}_${image}`;
    const waitMs = this.backOff.remainingMs(key);
    if (waitMs > 0) {
      const message = `Back-off pulling image "${image}"`;
      this.events.event(ref, 'Normal', 'BackOff', message);
      throw new ContainerStartError('ImagePullBackOff', message, waitMs, 'ImagePullBackOff');
    }
    this.events.event(ref, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const started = Date.now();
    const message = await this.pull(image, await this.credentials(pod, image));
    if (message !== undefined) {
      this.events.event(ref, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
      this.backOff.failed(key);
      throw new ContainerStartError('ErrImagePull', message, ERR_IMAGE_PULL_SHOWN_MS, 'ErrImagePull');
    }
    const took = goMillis(Date.now() - started);
    const pulled = await this.docker.inspectImage(image);
    // Pulls are not queued here, so the time including waiting is the pull's own.
    this.events.event(ref, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${pulled.Size} bytes.`);
    return pulled;
  }

  /**
   * Pulls with each credential in turn until one works (anonymously when there is none), as the
   * kubelet does: undefined once pulled, else the engine's errors (the registry's reasons).
   */
  private async pull(image: string, credentials: RegistryAuth[]): Promise<string | undefined> {
    const { repository, tag } = splitImage(image);
    const errors: string[] = [];
    for (const auth of credentials.length > 0 ? credentials : [undefined]) {
      try {
        await this.docker.pullImage(repository, tag, auth);
        return undefined;
      } catch (err) {
        if (!(err instanceof DockerError)) throw err;
        errors.push(err.message);
      }
    }
    // Kubernetes' aggregated error: one message as is, several in brackets.
    return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  }

  /** The credentials the pod's pull secrets hold for the image; secrets that cannot be read are reported and skipped. */
  private async credentials(pod: Pod, image: string): Promise<RegistryAuth[]> {
    const names = (pod.spec?.imagePullSecrets ?? []).map((s) => s.name).filter((n): n is string => !!n);
    if (names.length === 0) return [];
    const namespace = pod.metadata?.namespace ?? 'default';
    const read = await Promise.all(names.map(async (name) => [name, await getOptional<Secret>(this.client, 'Secret', namespace, name)] as const));
    const missing = read.filter(([, secret]) => !secret).map(([name]) => `"${name}"`);
    if (missing.length > 0) {
      this.events.event(podReference(pod), 'Warning', 'FailedToRetrieveImagePullSecret', `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
    }
    const secrets = read.map(([, secret]) => secret).filter((s): s is Secret => !!s);
    return pullCredentials(image, secrets, (err) => this.log(`image pull secret skipped: ${err.message}`));
  }

  /** Forgets a removed pod's back-offs. */
  forgetPod(uid: string): void {
    this.backOff.forget((key) => key.startsWith(`${uid}_`));
  }

  private async inspect(image: string): Promise<ImageInspect | undefined> {
    try {
      return await this.docker.inspectImage(image);
    } catch (err) {
      if (err instanceof DockerError && err.statusCode === 404) return undefined;
      throw err;
    }
  }
}
