// Custom objects against ConfigMaps (issue 13's figure): 200 objects of a CustomResourceDefinition
// with a structural schema (validation, defaults, pruning on every write), created, listed and
// watched, beside the same for 200 ConfigMaps in the same run on the same daemon. Each figure is
// the median of a few rounds, the kinds taking turns to go first. Target: custom objects within
// 1.5x of ConfigMaps. Run: npm run bench -- custom-resources
import https from 'node:https';
import { TestCluster } from '../test/helpers/test-cluster.js';
import { Api } from './lib/api.js';
import { line, median } from './lib/report.js';

const OBJECTS = 200;
const CLIENTS = 10;
const ROUNDS = 5;
const LISTS = 20;
const WATCHES = 5;
const TARGET = 1.5;

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.bench.kctl.dev' },
  spec: {
    group: 'bench.kctl.dev',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['color'],
                properties: {
                  color: { type: 'string', enum: ['red', 'green', 'blue'] },
                  size: { type: 'integer', minimum: 0, maximum: 1000 },
                  replicas: { type: 'integer', default: 1 },
                  owner: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 63 },
                  tags: { type: 'array', items: { type: 'string' } },
                },
              },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
};

interface Kind {
  name: string;
  collection: (ns: string) => string;
  object: (name: string, i: number) => object;
}

// Both carry about the same data, so the figures compare what the server does with them.
const KINDS: Kind[] = [
  {
    name: 'ConfigMaps',
    collection: (ns) => `/api/v1/namespaces/${ns}/configmaps`,
    object: (name, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { color: 'red', size: String(i), owner: 'team-a', tags: 'a,b' } }),
  },
  {
    name: 'custom objects',
    collection: (ns) => `/apis/bench.kctl.dev/v1/namespaces/${ns}/widgets`,
    object: (name, i) => ({ apiVersion: 'bench.kctl.dev/v1', kind: 'Widget', metadata: { name }, spec: { color: 'red', size: i, owner: 'team-a', tags: ['a', 'b'] } }),
  },
];

interface Rates {
  creates: number;
  lists: number;
  watches: number;
}

async function creates(api: Api, kind: Kind, ns: string): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; i < OBJECTS; i += CLIENTS) {
        const r = await api.request('POST', kind.collection(ns), kind.object(`obj-${i}`, i));
        if (r.status !== 201) throw new Error(`create of ${kind.name} failed: ${r.status} ${r.text}`);
      }
    }),
  );
  return OBJECTS / ((performance.now() - t0) / 1000);
}

async function lists(api: Api, kind: Kind, ns: string): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < LISTS; i++) {
    const r = await api.request('GET', kind.collection(ns));
    // ConfigMaps' namespaces also hold kube-root-ca.crt.
    if (r.status !== 200 || JSON.parse(r.text).items.length < OBJECTS) throw new Error(`list of ${kind.name} failed: ${r.status}`);
  }
  return LISTS / ((performance.now() - t0) / 1000);
}

/** A watch from before the creates: how long until all their ADDED events have come. */
function watchOnce(c: TestCluster, path: string, rv: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let seen = 0;
    let buf = '';
    const req = https.get(
      { host: '127.0.0.1', port: c.port, path: `${path}?watch=true&resourceVersion=${rv}`, headers: { Authorization: `Bearer ${c.token()}` }, ca: c.ca, agent: false },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`watch ${path}: ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const event = JSON.parse(buf.slice(0, nl));
            if (event.type === 'ADDED' && event.object.metadata.name.startsWith('obj-')) seen++;
            buf = buf.slice(nl + 1);
          }
          if (seen === OBJECTS) {
            resolve(performance.now() - t0);
            req.destroy();
          }
        });
      },
    );
    req.on('error', (err) => (seen === OBJECTS ? undefined : reject(err)));
  });
}

async function watches(c: TestCluster, kind: Kind, ns: string, rv: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < WATCHES; i++) times.push(await watchOnce(c, kind.collection(ns), rv));
  return 1000 / median(times);
}

async function round(c: TestCluster, api: Api, kind: Kind, n: number): Promise<Rates> {
  const ns = `bench-${kind.name.split(' ')[0].toLowerCase()}-${n}`;
  const made = await api.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  if (made.status !== 201) throw new Error(`namespace ${ns}: ${made.text}`);
  const before = JSON.parse((await api.request('GET', kind.collection(ns))).text).metadata.resourceVersion as string;
  const created = await creates(api, kind, ns);
  return { creates: created, lists: await lists(api, kind, ns), watches: await watches(c, kind, ns, before) };
}

async function main(): Promise<void> {
  const c = new TestCluster();
  try {
    await c.up([]);
    const api = new Api(c.port, c.token(), c.ca);
    const made = await api.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRD);
    if (made.status !== 201) throw new Error(`CRD: ${made.text}`);
    const established = await c.kubectl(['wait', '--for=condition=Established', 'crd/widgets.bench.kctl.dev', '--timeout=30s']);
    if (established.code !== 0) throw new Error(`CRD not established: ${established.stderr}`);
    const results = new Map<string, Rates[]>(KINDS.map((k) => [k.name, []]));
    for (let n = 0; n < ROUNDS; n++) {
      const order = n % 2 === 0 ? KINDS : [...KINDS].reverse();
      for (const kind of order) results.get(kind.name)!.push(await round(c, api, kind, n));
    }
    api.close();
    const [base, custom] = KINDS.map((k) => results.get(k.name)!);
    const figures: [string, keyof Rates, string][] = [
      [`creates, ${CLIENTS} clients`, 'creates', 'creates/s'],
      [`lists of ${OBJECTS}`, 'lists', 'lists/s'],
      [`watch replays of ${OBJECTS} ADDED`, 'watches', 'watches/s'],
    ];
    for (const [what, key, unit] of figures) {
      const b = median(base.map((r) => r[key]));
      const x = median(custom.map((r) => r[key]));
      // How many times longer custom objects take than ConfigMaps (below 1: they are faster).
      const ratio = b / x;
      line(`${OBJECTS} custom objects: ${what}`, `${x.toFixed(1)} ${unit}, ${ratio.toFixed(2)}x ConfigMaps' time`, `<= ${TARGET}x`, ratio <= TARGET);
      line(`  baseline: ${OBJECTS} ConfigMaps, same run`, `${b.toFixed(1)} ${unit}`, 'same run', true);
    }
  } finally {
    await c.down();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});
