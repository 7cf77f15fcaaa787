// The cluster registry (issue 13, item 7) and the example images (item 6): building them from
// Debian's packages (cached after the first build, which `kctl images prepare --examples` times),
// pushing the Django image to a fresh registry, and a simulated machine's engine pulling it cold
// over the LAN, as the node agent reports it in its Pulled event. Baselines in the same run: busybox
// (2 MB) pushed and pulled the same way, so the figures show what the image's size costs.
// Run: npm run bench -- registry
import { LAN_GATEWAY } from '../src/cli/cluster/machines/lan.js';
import { TestCluster } from '../test/helpers/test-cluster.js';
import { line } from './lib/report.js';

const DJANGO = 'kctl-examples/django:1.0';
const BUSYBOX = 'busybox:1.35';
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function push(c: TestCluster, image: string): Promise<number> {
  const t0 = performance.now();
  const r = await c.kctl(['images', 'push', image]);
  if (r.code !== 0) throw new Error(`kctl images push ${image}: ${r.stderr}`);
  return performance.now() - t0;
}

/** Runs a pod of the pushed image on node-1 and answers the pull time its Pulled event gives. */
async function pull(c: TestCluster, name: string, image: string): Promise<{ ms: number; size: number }> {
  await c.createPod({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: `${LAN_GATEWAY}:5000/${image}`, command: ['sleep', '3600'] }] },
  });
  await c.waitForPod(name, (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined, 300_000);
  const events = await c.api('GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=${name}`);
  const pulled = events.body.items.map((e: any) => /^Successfully pulled image ".*" in (\S+) \(.*\)\. Image size: (\d+) bytes\.$/.exec(e.message)).find(Boolean);
  if (!pulled) throw new Error(`no Pulled event for ${name}`);
  return { ms: goDurationMs(pulled[1]), size: Number(pulled[2]) };
}

/** 523ms, 1.2s, 1m3.05s → milliseconds. */
function goDurationMs(d: string): number {
  const m = /^(?:(\d+)m)?(?:([\d.]+)s)?(?:(\d+)ms)?$/.exec(d);
  if (!m) throw new Error(`not a duration: ${d}`);
  return Number(m[1] ?? 0) * 60_000 + Number(m[2] ?? 0) * 1000 + Number(m[3] ?? 0);
}

async function main(): Promise<void> {
  const c = new TestCluster();
  c.host = LAN_GATEWAY;
  try {
    const prepare = await c.kctl(['images', 'prepare', '--examples']);
    if (prepare.code !== 0) throw new Error(`kctl images prepare --examples: ${prepare.stderr}`);
    process.stdout.write(prepare.stdout.split('\n').filter((l) => /^kctl-examples\//.test(l)).map((l) => `      ${l}\n`).join(''));
    await c.up(['--machines', '1', '--registry']);
    const pushBusybox = await push(c, BUSYBOX);
    const pushDjango = await push(c, DJANGO);
    const pullBusybox = await pull(c, 'busybox', BUSYBOX);
    const pullDjango = await pull(c, 'django', DJANGO);
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
    line(`kctl images push ${DJANGO} to an empty registry`, s(pushDjango), 'none (measured)', true);
    line(`  baseline: kctl images push ${BUSYBOX}`, s(pushBusybox), 'same run', true);
    line(`cold pull of ${DJANGO} by a machine's engine`, `${s(pullDjango.ms)} (${mb(pullDjango.size)})`, 'none (measured)', true);
    line(`  baseline: cold pull of ${BUSYBOX}`, `${s(pullBusybox.ms)} (${mb(pullBusybox.size)})`, 'same run', true);
  } finally {
    await c.down();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});
