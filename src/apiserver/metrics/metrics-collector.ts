// The API server's metrics collector, metrics-server's scrape loop in process: every interval
// (15 s by default, metrics-server's --metric-resolution) it reads each node agent's
// /metrics/resource with the API server's proxy identity and keeps the last two readings in
// memory. Nothing is stored: after a restart the figures return within two intervals.
import http from 'node:http';
import type { Informer } from '../../api/informer.js';
import type { KubeObject } from '../../api/types.js';
import { parsePrometheusText } from '../../api/metrics/prometheus-text.js';
import { RESOURCE_METRICS_PATH } from '../../api/metrics/resource-metrics.js';
import { agentEndpoint, type AgentEndpoint } from '../http/pod-stream-target.js';
import { nodeScrape, UsageStore } from './usage-store.js';

/** How many agents are read at once: a thousand hollow nodes are read fifty at a time. */
const CONCURRENCY = 50;
/** The longest a scrape may take, metrics-server's default; never longer than the interval. */
const SCRAPE_TIMEOUT_MS = 10_000;

export interface MetricsCollectorOptions {
  nodes: Informer;
  proxyToken: string;
  intervalMs: number;
  log: (msg: string) => void;
}

function fetchText(agent: http.Agent, endpoint: AgentEndpoint, token: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: endpoint.host, port: endpoint.port, path: RESOURCE_METRICS_PATH, headers: { Authorization: `Bearer ${token}` }, timeout: timeoutMs, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`the agent answered ${res.statusCode}: ${text.slice(0, 200)}`));
          else resolve(text);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export class MetricsCollector {
  readonly usage = new UsageStore();
  // Connections to the agents are kept between scrapes (a new one each time costs more than the
  // scrape), idle for at most 60 s: the agents keep theirs open 65 s, so none closes under a request.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, timeout: 60_000 });
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Nodes whose last scrape failed, so a failure is logged once, not every interval. */
  private readonly failing = new Set<string>();

  constructor(private readonly opts: MetricsCollectorOptions) {}

  start(): void {
    this.schedule(this.opts.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.agent.destroy();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.collect().finally(() => this.schedule(Math.max(0, this.opts.intervalMs - (Date.now() - started))));
    }, delayMs);
    this.timer.unref();
  }

  /** One round: every node's agent read once. */
  async collect(): Promise<void> {
    const nodes = this.opts.nodes.list();
    const names = new Set(nodes.map((n) => n.metadata.name!));
    for (const name of this.usage.nodeNames()) if (!names.has(name)) this.usage.forget(name);
    let next = 0;
    const worker = async () => {
      while (next < nodes.length) await this.scrape(nodes[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, nodes.length) }, worker));
  }

  private async scrape(node: KubeObject): Promise<void> {
    const name = node.metadata.name!;
    let endpoint: AgentEndpoint;
    try {
      endpoint = agentEndpoint(node);
    } catch {
      // Not serving yet (or never: a hollow node without an endpoint): no figures, nothing to say.
      this.usage.forget(name);
      return;
    }
    try {
      const text = await fetchText(this.agent, endpoint, this.opts.proxyToken, Math.min(SCRAPE_TIMEOUT_MS, this.opts.intervalMs));
      this.usage.record(name, nodeScrape(parsePrometheusText(text), Date.now()));
      this.failing.delete(name);
    } catch (err) {
      // A node whose agent cannot be read has no current figures: its metrics go missing, as metrics-server's do.
      this.usage.forget(name);
      if (!this.failing.has(name)) this.opts.log(`metrics: cannot read the resource metrics of node ${name}: ${(err as Error).message}`);
      this.failing.add(name);
    }
  }
}
