// Scheduler throughput (issue "Scheduler and controllers"): 10,000 pods onto 1,000 nodes, target
// >= 2,000 pods/s. The scheduler runs as in the daemon (shared informers, in-process client, real
// SQLite store, every binding a real pods/binding write); the nodes are Node objects with
// allocatable and Ready, as hollow nodes register them. Timed from the scheduler's start, with all
// pods already stored, to the last binding seen by the pod informer.
// Run: npm run bench -- scheduler
import { line, median } from './lib/report.js';
import { scheduleAll } from './lib/scheduler-run.js';

const NODES = 1000;
const PODS = 10_000;
const RUNS = Number(process.env.RUNS ?? 3);

const rates: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const r = await scheduleAll(NODES, PODS);
  rates.push(PODS / r.seconds);
  process.stdout.write(`run ${i + 1}: ${PODS} pods in ${r.seconds.toFixed(2)} s (${Math.round(PODS / r.seconds)} pods/s), pods per node ${r.spread[0]}–${r.spread[1]}\n`);
}
const m = median(rates);
line(`scheduler: ${PODS} pods onto ${NODES} nodes (median of ${RUNS})`, `${Math.round(m)} pods/s`, '>= 2000 pods/s', m >= 2000);
