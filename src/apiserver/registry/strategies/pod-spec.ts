// The pod spec as every kind that carries one sees it (Pod and the templates of Deployment,
// ReplicaSet, ReplicationController, Job and CronJob): Kubernetes' SetDefaults_PodSpec and the
// defaults of what it contains, and the core of ValidatePodSpec.
import { Quantity } from '../../../api/quantity.js';
import type { StatusCause } from '../../../api/types.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName } from '../../../api/validation/names.js';
import { validateAnnotations, validateLabels } from '../names.js';
import {
  duplicate,
  forbidden,
  invalid,
  invalidEach,
  notFound,
  required,
  validateNonnegative,
  validatePortNumber,
} from './field-errors.js';

/** Kubernetes' default file mode for secret, configMap, downwardAPI and projected volumes (0644). */
const DEFAULT_VOLUME_MODE = 0o644;
const PROBE_KINDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const MAX_INT32 = 2147483647;

function containerLists(spec: any): { list: any[]; field: string }[] {
  return [
    { list: spec.containers ?? [], field: 'containers' },
    { list: spec.initContainers ?? [], field: 'initContainers' },
    { list: spec.ephemeralContainers ?? [], field: 'ephemeralContainers' },
  ];
}

export function applyPodSpecDefaults(spec: any): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  // serviceAccount is the deprecated spelling of serviceAccountName; the v1 API keeps both in step.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const { list } of containerLists(spec)) list.forEach(applyContainerDefaults);
  (spec.volumes ?? []).forEach(applyVolumeDefaults);
}

/** A template's pod spec gets the same defaults as a pod's; an absent template stays absent. */
export function applyPodTemplateDefaults(template: any): void {
  if (template) applyPodSpecDefaults((template.spec ??= {}));
}

/** `:latest` or no tag is pulled every time; a pinned tag or digest only when missing. */
function defaultPullPolicy(image: string): string {
  const [name, digest] = image.split('@');
  const afterHost = name.slice(name.lastIndexOf('/') + 1);
  const colon = afterHost.indexOf(':');
  const tag = colon >= 0 ? afterHost.slice(colon + 1) : digest ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function applyContainerDefaults(c: any): void {
  c.imagePullPolicy ||= defaultPullPolicy(c.image ?? '');
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  // A struct without omitempty in Go: Kubernetes always serializes it.
  c.resources ??= {};
  for (const port of c.ports ?? []) port.protocol ||= 'TCP';
  for (const kind of PROBE_KINDS) if (c[kind]) applyProbeDefaults(c[kind]);
  for (const handler of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (handler?.httpGet) applyHttpGetDefaults(handler.httpGet);
  for (const env of c.env ?? []) if (env.valueFrom?.fieldRef) env.valueFrom.fieldRef.apiVersion ||= 'v1';
}

// Kubernetes treats 0 as unset for these, so `||=`.
function applyProbeDefaults(probe: any): void {
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  if (probe.httpGet) applyHttpGetDefaults(probe.httpGet);
}

function applyHttpGetDefaults(httpGet: any): void {
  httpGet.path ||= '/';
  httpGet.scheme ||= 'HTTP';
}

function applyVolumeDefaults(volume: any): void {
  if (volumeSources(volume).length === 0) volume.emptyDir = {};
  for (const source of [volume.secret, volume.configMap, volume.downwardAPI, volume.projected]) {
    if (source) source.defaultMode ??= DEFAULT_VOLUME_MODE;
  }
  if (volume.hostPath) volume.hostPath.type ??= '';
  const downwardItems = [...(volume.downwardAPI?.items ?? [])];
  for (const projection of volume.projected?.sources ?? []) {
    if (projection.serviceAccountToken) projection.serviceAccountToken.expirationSeconds ??= 3600;
    downwardItems.push(...(projection.downwardAPI?.items ?? []));
  }
  for (const item of downwardItems) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
}

function volumeSources(volume: any): string[] {
  return Object.keys(volume).filter((k) => k !== 'name' && volume[k] != null);
}

/** A pod template: its labels and annotations, and its pod spec. */
export function validatePodTemplate(template: any, field: string): StatusCause[] {
  if (!template) return [required(field)];
  return [
    ...validateLabels(template.metadata?.labels, `${field}.metadata.labels`),
    ...validateAnnotations(template.metadata?.annotations, `${field}.metadata.annotations`),
    ...validatePodSpec(template.spec ?? {}, `${field}.spec`),
  ];
}

export function validatePodSpec(spec: any, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const volumeNames = validateVolumes(spec.volumes ?? [], `${field}.volumes`, causes);
  if (!spec.containers?.length) causes.push(required(`${field}.containers`));
  // Names are unique across regular, then init, then ephemeral containers.
  const containerNames = new Set<string>();
  for (const { list, field: listField } of containerLists(spec)) {
    list.forEach((c, i) => causes.push(...validateContainer(c, `${field}.${listField}[${i}]`, containerNames, volumeNames)));
  }
  if (spec.activeDeadlineSeconds != null && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > MAX_INT32)) {
    causes.push(invalid(`${field}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) {
    causes.push(required(`${field}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  causes.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  if (spec.serviceAccountName) {
    causes.push(...invalidEach(`${field}.serviceAccountName`, spec.serviceAccountName, isDNS1123Subdomain(spec.serviceAccountName)));
  }
  for (const name of ['hostname', 'subdomain'] as const) {
    if (spec[name]) causes.push(...invalidEach(`${field}.${name}`, spec[name], isDNS1123Label(spec[name])));
  }
  (spec.tolerations ?? []).forEach((t: any, i: number) => causes.push(...validateToleration(t, `${field}.tolerations[${i}]`)));
  return causes;
}

function validateVolumes(volumes: any[], field: string, causes: StatusCause[]): Set<string> {
  const names = new Set<string>();
  volumes.forEach((volume, i) => {
    const at = `${field}[${i}]`;
    if (!volume.name) causes.push(required(`${at}.name`));
    else if (names.has(volume.name)) causes.push(duplicate(`${at}.name`, volume.name));
    else causes.push(...invalidEach(`${at}.name`, volume.name, isDNS1123Label(volume.name)));
    if (volume.name) names.add(volume.name);
    for (const extra of volumeSources(volume).slice(1)) causes.push(forbidden(`${at}.${extra}`, 'may not specify more than 1 volume type'));
    if (volume.secret && !volume.secret.secretName) causes.push(required(`${at}.secret.secretName`));
    if (volume.configMap && !volume.configMap.name) causes.push(required(`${at}.configMap.name`));
  });
  return names;
}

function validateContainer(c: any, field: string, names: Set<string>, volumeNames: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!c.name) causes.push(required(`${field}.name`));
  else if (names.has(c.name)) causes.push(duplicate(`${field}.name`, c.name));
  else causes.push(...invalidEach(`${field}.name`, c.name, isDNS1123Label(c.name)));
  if (c.name) names.add(c.name);
  if (!c.image) causes.push(required(`${field}.image`));
  causes.push(...validateContainerPorts(c.ports ?? [], `${field}.ports`));
  (c.env ?? []).forEach((env: any, i: number) => {
    if (!env.name) causes.push(required(`${field}.env[${i}].name`));
  });
  causes.push(...validateVolumeMounts(c.volumeMounts ?? [], `${field}.volumeMounts`, volumeNames));
  for (const kind of PROBE_KINDS) if (c[kind]) causes.push(...validateProbe(c[kind], `${field}.${kind}`, kind));
  causes.push(...validateResources(c.resources, `${field}.resources`));
  return causes;
}

function validateContainerPorts(ports: any[], field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const at = `${field}[${i}]`;
    if (port.name) {
      causes.push(...invalidEach(`${at}.name`, port.name, isValidPortName(port.name)));
      if (names.has(port.name)) causes.push(duplicate(`${at}.name`, port.name));
      names.add(port.name);
    }
    if (port.containerPort === 0) causes.push(required(`${at}.containerPort`));
    else causes.push(...validatePortNumber(`${at}.containerPort`, port.containerPort));
    if (port.hostPort) causes.push(...validatePortNumber(`${at}.hostPort`, port.hostPort));
  });
  return causes;
}

function validateVolumeMounts(mounts: any[], field: string, volumeNames: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  const paths = new Set<string>();
  mounts.forEach((mount, i) => {
    const at = `${field}[${i}]`;
    if (!mount.name) causes.push(required(`${at}.name`));
    else if (!volumeNames.has(mount.name)) causes.push(notFound(`${at}.name`, mount.name));
    if (!mount.mountPath) causes.push(required(`${at}.mountPath`));
    else if (paths.has(mount.mountPath)) causes.push(invalid(`${at}.mountPath`, mount.mountPath, 'must be unique'));
    if (mount.mountPath) paths.add(mount.mountPath);
  });
  return causes;
}

function validateProbe(probe: any, field: string, kind: (typeof PROBE_KINDS)[number]): StatusCause[] {
  const causes: StatusCause[] = [];
  const handlers = PROBE_HANDLERS.filter((h) => probe[h] != null);
  if (handlers.length === 0) causes.push(required(field, 'must specify a handler type'));
  for (const extra of handlers.slice(1)) causes.push(forbidden(`${field}.${extra}`, 'may not specify more than 1 handler type'));
  if (probe.httpGet) causes.push(...validatePortNumberOrName(`${field}.httpGet.port`, probe.httpGet.port));
  if (probe.tcpSocket) causes.push(...validatePortNumberOrName(`${field}.tcpSocket.port`, probe.tcpSocket.port));
  for (const number of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    causes.push(...validateNonnegative(`${field}.${number}`, probe[number]));
  }
  if (kind !== 'readinessProbe' && probe.successThreshold != null && probe.successThreshold !== 1) {
    causes.push(invalid(`${field}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  return causes;
}

/** An IntOrString naming a port: a port number, or the name of a container port. */
export function validatePortNumberOrName(field: string, port: number | string | undefined): StatusCause[] {
  if (typeof port === 'string') return invalidEach(field, port, isValidPortName(port));
  return validatePortNumber(field, port);
}

/**
 * Kubernetes' ValidateResourceQuantityValue: no amount is negative, and an extended resource
 * (example.com/gpu) comes in whole units.
 */
function validateAmount(name: string, raw: string | number, field: string): StatusCause[] {
  const amount = Quantity.parse(raw);
  if (!amount) return [];
  if (amount.cmp(Quantity.ZERO) < 0) return [invalid(field, amount.toString(), 'must be greater than or equal to 0')];
  if (isExtendedResource(name) && amount.milliValue() % 1000n !== 0n) return [invalid(field, amount.toString(), 'must be an integer')];
  return [];
}

function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');
}

// Resource names are qualified names (cpu, memory, example.com/gpu).
function validateResources(resources: any, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [name, limit] of Object.entries<string | number>(resources?.limits ?? {})) causes.push(...validateAmount(name, limit, `${field}.limits[${name}]`));
  for (const [name, request] of Object.entries<string | number>(resources?.requests ?? {})) {
    causes.push(...invalidEach(`${field}.requests[${name}]`, name, isQualifiedName(name)));
    causes.push(...validateAmount(name, request, `${field}.requests[${name}]`));
    const limit = resources?.limits?.[name];
    if (limit === undefined) continue;
    const requested = Quantity.parse(request);
    const limited = Quantity.parse(limit);
    if (requested && limited && requested.cmp(limited) > 0) {
      causes.push(invalid(`${field}.requests`, String(request), `must be less than or equal to ${name} limit of ${limit}`));
    }
  }
  for (const name of Object.keys(resources?.limits ?? {})) causes.push(...invalidEach(`${field}.limits[${name}]`, name, isQualifiedName(name)));
  return causes;
}

function validateToleration(t: any, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (t.key) causes.push(...invalidEach(`${field}.key`, t.key, isQualifiedName(t.key)));
  if (!t.key && t.operator !== 'Exists') {
    causes.push(invalid(`${field}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
  }
  if (t.operator === 'Exists' && t.value) causes.push(invalid(`${field}.operator`, t, "value must be empty when `operator` is 'Exists'"));
  if (t.tolerationSeconds != null && t.effect !== 'NoExecute') {
    causes.push(invalid(`${field}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  }
  return causes;
}
