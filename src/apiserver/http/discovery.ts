// Discovery documents, as kubectl and client libraries read them to learn what the server serves.
import { VERBS, apiVersionOf, servedResources } from '../../api/resources.js';
import { REVIEW_RESOURCES } from './access-reviews.js';
import { METRICS_GROUP, METRICS_RESOURCES, METRICS_VERSION } from './metrics-api.js';
import { subresourceDiscovery } from '../registry/subresources.js';

/** The Kubernetes version kctl's API corresponds to; kubectl picks its own version from the minor. */
export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-kctl' };

export function versionInfo(): object {
  return {
    major: KUBERNETES_VERSION.major,
    minor: KUBERNETES_VERSION.minor,
    gitVersion: KUBERNETES_VERSION.gitVersion,
    gitCommit: 'kctl',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

// APIs that store nothing, so they are not in the resource catalogue: the create-only reviews, and
// the resource metrics served from memory.
const UNSTORED_APIS: Record<string, { version: string; resources: object[] }> = {
  'authentication.k8s.io': {
    version: 'v1',
    resources: [
      ...REVIEW_RESOURCES['authentication.k8s.io'],
      { name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'] },
    ],
  },
  'authorization.k8s.io': { version: 'v1', resources: REVIEW_RESOURCES['authorization.k8s.io'] },
  [METRICS_GROUP]: { version: METRICS_VERSION, resources: METRICS_RESOURCES },
};

/** Each group with its versions, the preferred first. */
function groupVersions(): [string, string[]][] {
  const stored = [...groups()].map(([name, versions]): [string, string[]] => [name, [...versions].sort(compareKubeAwareVersions)]);
  return [...stored, ...Object.entries(UNSTORED_APIS).map(([name, api]): [string, string[]] => [name, [api.version]])];
}

function groups(): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const r of servedResources()) {
    if (!r.group) continue;
    const versions = m.get(r.group) ?? new Set<string>();
    versions.add(r.version);
    m.set(r.group, versions);
  }
  return m;
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes' version priority (apimachinery's CompareKubeAwareVersionStrings): GA before beta
 * before alpha, higher numbers first, then versions not shaped like these in alphabetical order.
 */
export function compareKubeAwareVersions(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (!ma || !mb) return ma ? -1 : mb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  const stage = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  return stage(mb) - stage(ma) || Number(mb[1]) - Number(ma[1]) || Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions().map(([name, versions]) => groupEntry(name, versions)),
  };
}

function groupEntry(name: string, versions: string[]): { name: string; versions: object[]; preferredVersion: object } {
  const gvs = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: gvs, preferredVersion: gvs[0] };
}

export function apiGroup(group: string): object | undefined {
  const versions = groupVersions().find(([name]) => name === group)?.[1];
  if (!versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, versions) };
}

// The streams, which only the HTTP handler serves; every other subresource is listed as its table
// (registry/subresources.ts) serves it.
const STREAM_SUBRESOURCES: Record<string, { kind: string; group?: string; version?: string; verbs: string[] }> = {
  log: { kind: 'Pod', verbs: ['get'] },
  exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
  attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
};

export function apiResourceList(groupVersion: string): object | undefined {
  const review = Object.entries(UNSTORED_APIS).find(([name, api]) => `${name}/${api.version}` === groupVersion);
  if (review) return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: review[1].resources };
  const rs = servedResources().filter((r) => apiVersionOf(r) === groupVersion);
  if (rs.length === 0) return undefined;
  const resources: object[] = [];
  for (const r of rs) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
      storageVersionHash: Buffer.from(`${groupVersion}/${r.kind}`).toString('base64').slice(0, 11),
    });
    for (const sub of r.subresources) {
      const s = subresourceDiscovery(r, sub) ?? STREAM_SUBRESOURCES[sub];
      resources.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.group ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}
