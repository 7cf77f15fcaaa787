// Pure: a container's securityContext (merged over the pod's) → Docker's user, groups and
// privileges, and the checks the kubelet makes before it creates the container.
import type { Container, Pod, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { ContainerCreateConfig, HostConfig } from '../docker/types.js';
import { podDescription } from './pod-reference.js';

type SecuritySettings = Pick<ContainerCreateConfig, 'User'> &
  Pick<HostConfig, 'GroupAdd' | 'ReadonlyRootfs' | 'CapAdd' | 'CapDrop' | 'SecurityOpt' | 'Privileged'>;

/** The pod-level settings a container inherits unless it sets its own (the kubelet's DetermineEffectiveSecurityContext). */
export function effectiveSecurityContext(pod: Pod, container: Container): SecurityContext {
  const p = pod.spec?.securityContext ?? {};
  const inherited: SecurityContext = {
    ...(p.runAsUser !== undefined ? { runAsUser: p.runAsUser } : {}),
    ...(p.runAsGroup !== undefined ? { runAsGroup: p.runAsGroup } : {}),
    ...(p.runAsNonRoot !== undefined ? { runAsNonRoot: p.runAsNonRoot } : {}),
  };
  const own = Object.fromEntries(Object.entries(container.securityContext ?? {}).filter(([, v]) => v !== undefined));
  return { ...inherited, ...own };
}

/** `uid[:gid]` for Docker's User; a group alone keeps the image's user, as Docker requires one. */
function dockerUser(sc: SecurityContext, imageUser: string): string | undefined {
  if (sc.runAsUser === undefined && sc.runAsGroup === undefined) return undefined;
  const user = sc.runAsUser !== undefined ? String(sc.runAsUser) : imageUser.split(':')[0] || '0';
  return sc.runAsGroup !== undefined ? `${user}:${sc.runAsGroup}` : user;
}

/** What Docker is told; `imageUser` is the image's configured User (empty: root). */
export function securitySettings(pod: Pod, container: Container, imageUser = ''): SecuritySettings {
  const sc = effectiveSecurityContext(pod, container);
  const podSc = pod.spec?.securityContext ?? {};
  // fsGroup owns the pod's volumes, so every container runs with it as a supplementary group.
  const groups = [...(podSc.supplementalGroups ?? []), ...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : [])].map(String);
  const user = dockerUser(sc, imageUser);
  return {
    ...(user !== undefined ? { User: user } : {}),
    ...(groups.length > 0 ? { GroupAdd: groups } : {}),
    ...(sc.readOnlyRootFilesystem ? { ReadonlyRootfs: true } : {}),
    ...(sc.capabilities?.add?.length ? { CapAdd: sc.capabilities.add } : {}),
    ...(sc.capabilities?.drop?.length ? { CapDrop: sc.capabilities.drop } : {}),
    ...(sc.allowPrivilegeEscalation === false ? { SecurityOpt: ['no-new-privileges'] } : {}),
    ...(sc.privileged ? { Privileged: true } : {}),
  };
}

export interface SecurityPolicy {
  /** The agent's --allow-privileged. */
  allowPrivileged: boolean;
  /** The image's configured User (empty: root). */
  imageUser: string;
  /** An init container (the refusal names which kind). */
  init?: boolean;
}

/** Why the container may not be created (the kubelet's CreateContainerConfigError message), or undefined. */
export function securityViolation(pod: Pod, container: Container, policy: SecurityPolicy): string | undefined {
  const sc = effectiveSecurityContext(pod, container);
  if (sc.privileged && !policy.allowPrivileged) {
    const kind = policy.init ? 'init container' : 'container';
    return `pod with UID "${pod.metadata?.uid}" specified privileged ${kind}, but is disallowed (start the node agent with --allow-privileged to allow it)`;
  }
  if (!sc.runAsNonRoot) return undefined;
  const where = `(pod: "${podDescription(pod)}", container: ${container.name})`;
  if (sc.runAsUser !== undefined) return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  const user = policy.imageUser.split(':')[0];
  if (user === '' || user === '0') return `container has runAsNonRoot and image will run as root ${where}`;
  if (!/^\d+$/.test(user)) return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root ${where}`;
  return undefined;
}
