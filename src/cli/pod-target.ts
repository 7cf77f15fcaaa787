// Which pod and container `logs` and `exec` act on, decided as kubectl decides: `POD` or
// `pod/POD`, and without -c the container the `kubectl.kubernetes.io/default-container`
// annotation names, else the first one (with kubectl's notice when there was a choice).
import type { KubeObject } from '../api/types.js';
import { resolveResource } from '../api/resources.js';
import { CliError } from './errors.js';

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** The pod name from `POD` or `TYPE/NAME`; only pods are supported. */
export function podNameArg(arg: string, command: string): string {
  const slash = arg.indexOf('/');
  if (slash < 0) return arg;
  const r = resolveResource(arg.slice(0, slash));
  if (!r) throw new CliError(`the server doesn't have a resource type "${arg.slice(0, slash)}"`);
  if (r.kind !== 'Pod') throw new CliError(`cannot ${command} ${r.plural}: only pods are supported (pod/NAME)`);
  return arg.slice(slash + 1);
}

function names(list: { name: string }[] | undefined): string[] {
  return (list ?? []).map((c) => c.name);
}

/** kubectl's listing: containers, then ephemeral `(ephem)`, then init `(init)`. */
export function allContainerNames(pod: KubeObject): string {
  const spec = pod.spec ?? {};
  return [...names(spec.containers), ...names(spec.ephemeralContainers).map((n) => `${n} (ephem)`), ...names(spec.initContainers).map((n) => `${n} (init)`)].join(', ');
}

export function hasContainer(pod: KubeObject, name: string): boolean {
  const spec = pod.spec ?? {};
  return [...names(spec.containers), ...names(spec.initContainers), ...names(spec.ephemeralContainers)].includes(name);
}

/** The container to use when none was named, and the notices kubectl prints on stderr. */
export function defaultContainer(pod: KubeObject): { container: string; notices: string[] } {
  const spec = pod.spec ?? {};
  const containers = names(spec.containers);
  if (containers.length === 0) throw new CliError(`pod ${pod.metadata.namespace}/${pod.metadata.name} does not have any containers`);
  const notices: string[] = [];
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated) {
    if (hasContainer(pod, annotated)) return { container: annotated, notices };
    notices.push(`Default container name "${annotated}" not found in pod ${pod.metadata.name}`);
  }
  if (containers.length > 1 || names(spec.initContainers).length > 0 || names(spec.ephemeralContainers).length > 0) {
    notices.push(`Defaulted container "${containers[0]}" out of: ${allContainerNames(pod)}`);
  }
  return { container: containers[0], notices };
}

/** Every container of the pod, as --all-containers visits them: init, regular, ephemeral. */
export function everyContainer(pod: KubeObject): string[] {
  const spec = pod.spec ?? {};
  return [...names(spec.initContainers), ...names(spec.containers), ...names(spec.ephemeralContainers)];
}
