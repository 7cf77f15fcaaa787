// Discovery documents, as kubectl and client libraries read them to learn what the server serves.
import { RESOURCES, VERBS, apiVersionOf, type ResourceType } from '../../api/resources.js';
import { REVIEW_RESOURCES } from './access-reviews.js';
import { METRICS_GROUP, METRICS_RESOURCES, METRICS_VERSION } from './metrics-api.js';

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

function groupVersions(): [string, string][] {
  const stored = [...groups()].map(([name, rs]): [string, string] => [name, rs[0].version]);
  return [...stored, ...Object.entries(UNSTORED_APIS).map(([name, api]): [string, string] => [name, api.version])];
}

function groups(): Map<string, ResourceType[]> {
  const m = new Map<string, ResourceType[]>();
  for (const r of RESOURCES) {
    if (!r.group) continue;
    const list = m.get(r.group) ?? [];
    list.push(r);
    m.set(r.group, list);
  }
  return m;
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
    groups: groupVersions().map(([name, version]) => {
      const gv = { groupVersion: `${name}/${version}`, version };
      return { name, versions: [gv], preferredVersion: gv };
    }),
  };
}

export function apiGroup(group: string): object | undefined {
  const version = groupVersions().find(([name]) => name === group)?.[1];
  if (!version) return undefined;
  const gv = { groupVersion: `${group}/${version}`, version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [gv], preferredVersion: gv };
}

const SUBRESOURCE_VERBS: Record<string, { kind: string; group?: string; version?: string; verbs: string[] }> = {
  status: { kind: '', verbs: ['get', 'patch', 'update'] },
  approval: { kind: '', verbs: ['get', 'patch', 'update'] },
  scale: { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  binding: { kind: 'Binding', verbs: ['create'] },
  eviction: { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
  log: { kind: 'Pod', verbs: ['get'] },
  exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
  attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  token: { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
};

export function apiResourceList(groupVersion: string): object | undefined {
  const review = Object.entries(UNSTORED_APIS).find(([name, api]) => `${name}/${api.version}` === groupVersion);
  if (review) return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: review[1].resources };
  const rs = RESOURCES.filter((r) => apiVersionOf(r) === groupVersion);
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
      const s = SUBRESOURCE_VERBS[sub];
      resources.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.group ? { group: s.group, version: s.version } : {}),
        kind: s.kind || r.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}
