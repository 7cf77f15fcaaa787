// Why a pod container has no logs to show, worded as the kubelet's validateContainerLogStatus
// words it, from the container's status in the pod.

interface ContainerStatus {
  name: string;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: object };
  lastState?: { terminated?: object };
}

interface PodStatus {
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
}

export function missingLogsMessage(pod: string, container: string, status: PodStatus | undefined, previous: boolean): string {
  const statuses = [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])];
  const s = statuses.find((x) => x.name === container);
  if (!s) return `container "${container}" in pod "${pod}" is not available`;
  if (previous) return `previous terminated container "${container}" in pod "${pod}" not found`;
  if (s.state?.running || s.state?.terminated || s.lastState?.terminated) return `container "${container}" in pod "${pod}" is terminated`;
  const reason = s.state?.waiting?.reason;
  if (reason === 'ErrImagePull') return `container "${container}" in pod "${pod}" is waiting to start: image can't be pulled`;
  if (reason === 'ImagePullBackOff') return `container "${container}" in pod "${pod}" is waiting to start: trying and failing to pull image`;
  if (reason) return `container "${container}" in pod "${pod}" is waiting to start: ${reason}`;
  return `container "${container}" in pod "${pod}" is waiting to start - no logs yet`;
}
