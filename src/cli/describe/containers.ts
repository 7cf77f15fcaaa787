// The `Containers:` section shared by pods and pod templates: image, ports, command, state,
// resources, probes, environment and mounts of each container.
import type { Container, ContainerState, ContainerStatus, EnvVar, Pod, Probe } from 'kubernetes-types/core/v1.js';
import { byteOrder } from '../../api/printers/columns/labels.js';
import { Quantity, canonicalQuantity } from '../../api/quantity.js';
import { formatTime, stringOrNone, titleBool } from './format.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './writer.js';

/**
 * Writes `label:` and each container. With statuses (a pod) it adds IDs, state and restarts;
 * `pod` resolves env values taken from the pod's own fields; `space` indents a template's section.
 */
export function writeContainers(
  w: PrefixWriter,
  label: string,
  containers: Container[],
  statuses: ContainerStatus[] | undefined,
  pod: Pod | undefined,
  space: string,
): void {
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = statuses?.find((s) => s.name === c.name);
    writeBasicInfo(w, c, status, space);
    writeCommand(w, c);
    if (status) writeState(w, status);
    writeResources(w, c.resources, LEVEL_2);
    writeProbes(w, c);
    if (c.envFrom?.length) writeEnvFrom(w, c);
    writeEnv(w, c, pod);
    writeMounts(w, c);
  }
}

function writeBasicInfo(w: PrefixWriter, c: Container, status: ContainerStatus | undefined, space: string): void {
  w.write(LEVEL_1, `${space ? ' ' : ''}${c.name}:\n`);
  if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(LEVEL_2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`);
  const ports = portList(c, (p) => p.containerPort);
  w.write(LEVEL_2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${stringOrNone(ports)}\n`);
  const hostPorts = portList(c, (p) => p.hostPort ?? 0);
  w.write(LEVEL_2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${stringOrNone(hostPorts)}\n`);
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_2, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
}

function portList(c: Container, number: (p: NonNullable<Container['ports']>[number]) => number): string {
  return (c.ports ?? []).map((p) => `${number(p)}/${p.protocol ?? ''}`).join(', ');
}

function writeCommand(w: PrefixWriter, c: Container): void {
  for (const [title, words] of [['Command', c.command], ['Args', c.args]] as const) {
    if (!words?.length) continue;
    w.write(LEVEL_2, `${title}:\n`);
    for (const word of words) for (const line of word.split('\n')) w.write(LEVEL_3, `${line}\n`);
  }
}

function writeState(w: PrefixWriter, status: ContainerStatus): void {
  writeStateOf(w, 'State', status.state);
  if (status.lastState?.terminated) writeStateOf(w, 'Last State', status.lastState);
  w.write(LEVEL_2, `Ready:\t${titleBool(status.ready)}\n`);
  w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
}

function writeStateOf(w: PrefixWriter, title: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(LEVEL_2, `${title}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${formatTime(state.running.startedAt)}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${formatTime(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${formatTime(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${title}:\tWaiting\n`);
    if (state?.waiting?.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  }
}

/** `Limits:` and `Requests:`, one resource per line, names sorted. */
function writeResources(
  w: PrefixWriter,
  resources: { limits?: Record<string, string>; requests?: Record<string, string> } | undefined,
  level: number,
): void {
  for (const [title, list] of [['Limits', resources?.limits], ['Requests', resources?.requests]] as const) {
    const names = Object.keys(list ?? {}).sort(byteOrder);
    if (names.length > 0) w.write(level, `${title}:\n`);
    for (const name of names) w.write(level + 1, `${name}:\t${canonicalQuantity(list![name])}\n`);
  }
}

function writeProbes(w: PrefixWriter, c: Container): void {
  for (const [title, probe] of [['Liveness', c.livenessProbe], ['Readiness', c.readinessProbe], ['Startup', c.startupProbe]] as const) {
    if (probe) w.write(LEVEL_2, `${title}:\t${describeProbe(probe)}\n`);
  }
}

/** `http-get http://:8000/ delay=0s timeout=1s period=10s #success=1 #failure=3` */
function describeProbe(probe: Probe): string {
  const attrs =
    `delay=${probe.initialDelaySeconds ?? 0}s timeout=${probe.timeoutSeconds ?? 0}s period=${probe.periodSeconds ?? 0}s ` +
    `#success=${probe.successThreshold ?? 0} #failure=${probe.failureThreshold ?? 0}`;
  if (probe.exec) return `exec [${(probe.exec.command ?? []).join(' ')}] ${attrs}`;
  if (probe.httpGet) {
    const { host = '', port, path = '', scheme = '' } = probe.httpGet;
    const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const escapedPath = escapeUrlPath(path && !path.startsWith('/') ? `/${path}` : path);
    return `http-get ${scheme ? `${scheme.toLowerCase()}:` : ''}//${hostPort}${escapedPath} ${attrs}`;
  }
  if (probe.tcpSocket) return `tcp-socket ${probe.tcpSocket.host ?? ''}:${probe.tcpSocket.port} ${attrs}`;
  if (probe.grpc) return `grpc <pod>:${probe.grpc.port} ${probe.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

// Go's url.URL path escaping: only unreserved characters and `$&+,/:;=@` stay as they are.
function escapeUrlPath(path: string): string {
  return Array.from(Buffer.from(path, 'utf8'))
    .map((byte) => {
      const ch = String.fromCharCode(byte);
      return /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function writeEnvFrom(w: PrefixWriter, c: Container): void {
  w.write(LEVEL_2, 'Environment Variables from:\n');
  for (const e of c.envFrom ?? []) {
    const [from, ref] = e.configMapRef ? ['ConfigMap', e.configMapRef] : e.secretRef ? ['Secret', e.secretRef] : ['', undefined];
    const optional = ref?.optional === true;
    const source = e.prefix ? `${from} with prefix '${e.prefix}'` : from;
    w.write(LEVEL_3, `${ref?.name ?? ''}\t${source}\tOptional: ${optional}\n`);
  }
}

function writeEnv(w: PrefixWriter, c: Container, pod: Pod | undefined): void {
  const env = c.env ?? [];
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? '').split('\n').forEach((line, i) => w.write(LEVEL_3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`));
    } else if (from.fieldRef) {
      w.write(LEVEL_3, `${e.name}:\t${fieldRefValue(e, pod)} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      let value = resourceFieldRefValue(from.resourceFieldRef, c);
      const resource = from.resourceFieldRef.resource;
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${e.name}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const { key, name = '', optional } = from.secretKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${key}' in secret '${name}'>\tOptional: ${optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const { key, name = '', optional } = from.configMapKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${key}' of config map '${name}'>\tOptional: ${optional === true}\n`);
    }
  }
}

// kubectl resolves only the pod's name and namespace (the field paths its scheme knows how to
// convert for every kind); other paths show an empty value, and a template has no pod at all.
function fieldRefValue(e: EnvVar, pod: Pod | undefined): string {
  const path = e.valueFrom?.fieldRef?.fieldPath;
  if (path === 'metadata.name') return pod?.metadata?.name ?? '';
  if (path === 'metadata.namespace') return pod?.metadata?.namespace ?? '';
  return '';
}

// The value the kubelet would inject: the container's request or limit divided by the divisor,
// rounded up; CPU counts in millicores. Unsupported resources have no value.
function resourceFieldRefValue(ref: NonNullable<NonNullable<EnvVar['valueFrom']>['resourceFieldRef']>, c: Container): string {
  const [kind, name] = splitOnce(ref.resource, '.');
  const supported = name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-');
  if ((kind !== 'limits' && kind !== 'requests') || !supported) return '';
  const raw = (kind === 'limits' ? c.resources?.limits : c.resources?.requests)?.[name];
  const amount = (raw === undefined ? undefined : Quantity.parse(raw)) ?? Quantity.ZERO;
  const parsedDivisor = ref.divisor === undefined ? undefined : Quantity.parse(ref.divisor);
  const divisor = !parsedDivisor || parsedDivisor.isZero() ? Quantity.parse(1)! : parsedDivisor;
  const [numerator, denominator] = name === 'cpu' ? [amount.milliValue(), divisor.milliValue()] : [amount.value(), divisor.value()];
  return String(Math.ceil(Number(numerator) / Number(denominator)));
}

function splitOnce(s: string, separator: string): [string, string] {
  const i = s.indexOf(separator);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function writeMounts(w: PrefixWriter, c: Container): void {
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => byteOrder(a.mountPath, b.mountPath));
  w.write(LEVEL_2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
    w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
  if (c.volumeDevices?.length) {
    // kubectl's own slip, kept for identical output: `<none>` here follows the mounts, not the devices.
    w.write(LEVEL_2, `Devices:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    const devices = [...c.volumeDevices].sort((a, b) => byteOrder(a.devicePath, b.devicePath));
    for (const d of devices) w.write(LEVEL_3, `${d.devicePath} from ${d.name}\n`);
  }
}
