// A container's environment as the kubelet builds it (envFrom, then env with `$(VAR)` expansion
// and valueFrom), and its command and args expanded against that environment. The evaluation is
// pure over already read ConfigMaps and Secrets; `resolveContainerEnv` does the reads.
import { isEnvVarName } from '../../api/validation/names.js';
import type { ConfigMap, Container, EnvVar, ObjectFieldSelector, Pod, ResourceFieldSelector, Secret } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import { Quantity } from '../../api/quantity.js';
import { findByKind } from '../../api/resources.js';
import { CONFIG_ERROR_RETRY_MS, ContainerStartError } from './start-error.js';

const CONFIG_MAPS = findByKind('ConfigMap')!;
const SECRETS = findByKind('Secret')!;
const CONFIG_ERROR = 'CreateContainerConfigError';


/**
 * Kubernetes' `$(VAR)` expansion: a defined name is replaced, an undefined one stays as written,
 * `$$` is an escaped `$`, and any other `$` is kept.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i += 2;
      } else {
        const name = input.slice(i + 2, close);
        out += lookup(name) ?? `$(${name})`;
        i = close + 1;
      }
    } else {
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}

/** What the pod's fields do not say: the addresses the node and the sandbox have right now. */
export interface PodAddresses {
  hostIPs: string[];
  podIPs: string[];
}

/** fieldpath.FormatMap: `key="value"` lines in key order, as downwardAPI files show labels. */
export function formatMap(m: Record<string, string> = {}): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join('\n');
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** The value of a fieldRef (env and downwardAPI volumes). */
export function fieldRefValue(pod: Pod, ref: ObjectFieldSelector, addresses: PodAddresses): string {
  const m = pod.metadata ?? {};
  const path = ref.fieldPath;
  const sub = SUBSCRIPT.exec(path);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? 'default';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'metadata.labels':
      return formatMap(m.labels);
    case 'metadata.annotations':
      return formatMap(m.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return addresses.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return addresses.hostIPs.join(',');
    case 'status.podIP':
      return addresses.podIPs[0] ?? '';
    case 'status.podIPs':
      return addresses.podIPs.join(',');
  }
  throw new Error(`unsupported fieldPath: ${path}`);
}

function quantity(text: string | number | undefined, fallback: string): Quantity {
  const q = Quantity.parse(text ?? fallback);
  if (!q) throw new Error(`invalid quantity ${text}`);
  return q;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return b === 0n ? a : (a + b - 1n) / b;
}

/**
 * The value of a resourceFieldRef of `container`, as the kubelet computes it: a limit the
 * container does not set is the node's allocatable; CPU rounds up to whole divisors (1 or 1m),
 * memory and ephemeral storage to whole divisors of bytes.
 */
export function resourceFieldValue(container: Container, ref: ResourceFieldSelector, allocatable: Record<string, string>): string {
  const [kind, resource] = ref.resource.split('.', 2) as ['limits' | 'requests', string];
  if (!['cpu', 'memory', 'ephemeral-storage'].includes(resource) || !['limits', 'requests'].includes(kind)) {
    throw new Error(`unsupported container resource : ${ref.resource}`);
  }
  const set = container.resources?.[kind]?.[resource];
  const q = quantity(set ?? (kind === 'limits' ? allocatable[resource] : undefined), '0');
  const divisor = quantity(ref.divisor, '1');
  if (resource === 'cpu') return String(ceilDiv(q.milliValue(), divisor.milliValue()));
  return String(ceilDiv(q.value(), divisor.value()));
}

/** The container a resourceFieldRef names (its own container when it names none). */
export function referencedContainer(pod: Pod, self: Container | undefined, containerName: string | undefined): Container {
  if (!containerName && self) return self;
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const found = all.find((c) => c.name === containerName);
  if (!found) throw new Error(`container ${containerName} not found`);
  return found;
}

/** The ConfigMaps and Secrets a container's environment reads, by name; absent when they do not exist. */
export interface EnvObjects {
  configMaps: Map<string, ConfigMap | undefined>;
  secrets: Map<string, Secret | undefined>;
}

export interface EnvContext extends PodAddresses {
  objects: EnvObjects;
  allocatable: Record<string, string>;
  /**
   * Kubernetes' service variables (service-env.ts): below envFrom and env, which win, and
   * available to their `$(VAR)` expansion.
   */
  serviceEnv: Map<string, string>;
}

export interface ContainerEnv {
  /** `NAME=value`, as Docker takes them. */
  env: string[];
  command?: string[];
  args?: string[];
  /** envFrom keys skipped because they are not variable names, as the kubelet's event says it. */
  warnings: string[];
}

/** The values a ConfigMap gives an environment: its `data` only, as the kubelet (binaryData is for volumes). */
function configMapData(cm: ConfigMap): Record<string, string> {
  return cm.data ?? {};
}

function secretData(secret: Secret): Record<string, string> {
  return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

function configError(message: string): ContainerStartError {
  return new ContainerStartError(CONFIG_ERROR, message, CONFIG_ERROR_RETRY_MS);
}

/** The data of a referenced object; undefined when it may be missing (optional) and is. */
function objectData(kind: 'configmap' | 'secret', name: string, objects: EnvObjects, optional: boolean | undefined): Record<string, string> | undefined {
  if (kind === 'configmap') {
    const cm = objects.configMaps.get(name);
    if (cm) return configMapData(cm);
  } else {
    const s = objects.secrets.get(name);
    if (s) return secretData(s);
  }
  if (optional) return undefined;
  throw configError(`${kind} "${name}" not found`);
}

function valueFrom(pod: Pod, container: Container, v: EnvVar, ctx: EnvContext): string | undefined {
  const from = v.valueFrom!;
  const ns = pod.metadata?.namespace ?? 'default';
  if (from.fieldRef) return fieldRefValue(pod, from.fieldRef, ctx);
  if (from.resourceFieldRef) {
    const target = referencedContainer(pod, container, from.resourceFieldRef.containerName);
    return resourceFieldValue(target, from.resourceFieldRef, ctx.allocatable);
  }
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (!ref) return undefined;
  const [kind, kindName] = from.configMapKeyRef ? (['configmap', 'ConfigMap'] as const) : (['secret', 'Secret'] as const);
  const data = objectData(kind, ref.name ?? '', ctx.objects, ref.optional);
  if (!data) return undefined;
  if (ref.key in data) return data[ref.key];
  if (ref.optional) return undefined;
  throw configError(`couldn't find key ${ref.key} in ${kindName} ${ns}/${ref.name}`);
}

function valueFromOrConfigError(pod: Pod, container: Container, v: EnvVar, ctx: EnvContext): string | undefined {
  try {
    return valueFrom(pod, container, v, ctx);
  } catch (err) {
    throw err instanceof ContainerStartError ? err : configError((err as Error).message);
  }
}

/** The container's environment; throws ContainerStartError (CreateContainerConfigError) as the kubelet fails. */
export function containerEnv(pod: Pod, container: Container, ctx: EnvContext): ContainerEnv {
  const ns = pod.metadata?.namespace ?? 'default';
  const vars = new Map<string, string>();
  const warnings: string[] = [];
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const [kind, kindName] = from.configMapRef ? (['configmap', 'configMap'] as const) : (['secret', 'secret'] as const);
    const data = objectData(kind, ref.name ?? '', ctx.objects, ref.optional);
    const invalid: string[] = [];
    for (const [key, value] of Object.entries(data ?? {})) {
      const name = (from.prefix ?? '') + key;
      if (isEnvVarName(name).length === 0) vars.set(name, value);
      else invalid.push(name);
    }
    if (invalid.length > 0) {
      warnings.push(`Keys [${invalid.sort().join(', ')}] from the EnvFrom ${kindName} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`);
    }
  }
  for (const v of container.env ?? []) {
    // As the kubelet: a non-empty value is expanded; valueFrom counts only without one.
    if (v.value) vars.set(v.name, expand(v.value, (n) => vars.get(n) ?? ctx.serviceEnv.get(n)));
    else if (v.valueFrom) {
      const value = valueFromOrConfigError(pod, container, v, ctx);
      if (value !== undefined) vars.set(v.name, value);
    } else vars.set(v.name, '');
  }
  for (const [k, v] of ctx.serviceEnv) if (!vars.has(k)) vars.set(k, v);
  const lookup = (n: string) => vars.get(n);
  return {
    env: [...vars].map(([k, v]) => `${k}=${v}`),
    ...(container.command ? { command: container.command.map((s) => expand(s, lookup)) } : {}),
    ...(container.args ? { args: container.args.map((s) => expand(s, lookup)) } : {}),
    warnings,
  };
}

/** The names of the ConfigMaps and Secrets the container's environment reads. */
export function envReferences(container: Container): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const f of container.envFrom ?? []) {
    if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
    if (f.secretRef?.name) secrets.add(f.secretRef.name);
  }
  for (const v of container.env ?? []) {
    if (v.value) continue;
    if (v.valueFrom?.configMapKeyRef?.name) configMaps.add(v.valueFrom.configMapKeyRef.name);
    if (v.valueFrom?.secretKeyRef?.name) secrets.add(v.valueFrom.secretKeyRef.name);
  }
  return { configMaps, secrets };
}

/** Whether the container's environment needs the pod's IP (read from the sandbox). */
export function needsPodIP(container: Container): boolean {
  return (container.env ?? []).some((v) => !v.value && /^status\.podIPs?$/.test(v.valueFrom?.fieldRef?.fieldPath ?? ''));
}

/** GETs a ConfigMap or Secret; undefined when it does not exist. */
export async function getOptional<T>(client: ApiClient, kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Promise<T | undefined> {
  try {
    return (await client.get(kind === 'ConfigMap' ? CONFIG_MAPS : SECRETS, namespace, name)) as T;
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'NotFound') return undefined;
    throw err;
  }
}

async function readAll<T>(client: ApiClient, kind: 'ConfigMap' | 'Secret', namespace: string, names: Set<string>): Promise<Map<string, T | undefined>> {
  const entries = await Promise.all([...names].map(async (n) => [n, await getOptional<T>(client, kind, namespace, n)] as const));
  return new Map(entries);
}

/** Reads what the container's environment references, then evaluates it. */
export async function resolveContainerEnv(
  client: ApiClient,
  pod: Pod,
  container: Container,
  ctx: Omit<EnvContext, 'objects' | 'podIPs'> & { podIPs(): Promise<string[]> },
): Promise<ContainerEnv> {
  const ns = pod.metadata?.namespace ?? 'default';
  const refs = envReferences(container);
  const [configMaps, secrets, podIPs] = await Promise.all([
    readAll<ConfigMap>(client, 'ConfigMap', ns, refs.configMaps),
    readAll<Secret>(client, 'Secret', ns, refs.secrets),
    needsPodIP(container) ? ctx.podIPs() : Promise.resolve([]),
  ]);
  return containerEnv(pod, container, { ...ctx, podIPs, objects: { configMaps, secrets } });
}
