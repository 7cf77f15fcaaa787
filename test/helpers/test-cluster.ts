// A real local cluster for integration tests: `kctl cluster up` in a temporary KCTL_HOME on a free
// port, driven through bin/kctl and the real kubectl, always brought down and removed afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { HttpClient } from '../../src/api/http-client.js';
import type { WatchEvent } from '../../src/api/types.js';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(import.meta.url), '../../../..');
const KCTL = join(REPO, 'bin/kctl');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

export class TestCluster {
  readonly home = mkdtempSync(join(tmpdir(), 'kctl-it-'));
  port = 0;
  /** Where the API server listens: a cluster of simulated machines serves on their LAN. */
  host = '127.0.0.1';

  get env(): NodeJS.ProcessEnv {
    const env = { ...process.env, KCTL_HOME: this.home, KUBECONFIG: join(this.home, 'kubeconfig'), NO_COLOR: '1' };
    return env;
  }

  get server(): string {
    return `https://${this.host}:${this.port}`;
  }

  /** The cluster CA, which signed the API server's certificate. */
  get ca(): string {
    return readFileSync(join(this.home, 'pki/ca.crt'), 'utf8');
  }

  async up(extra: string[] = []): Promise<RunResult> {
    this.port = await freePort();
    const r = await this.kctl(['cluster', 'up', '--port', String(this.port), ...extra]);
    if (r.code !== 0) throw new Error(`cluster up failed: ${r.stderr}${r.stdout}`);
    return r;
  }

  /** Stops everything and removes the temporary home, even after a failed test. */
  async down(): Promise<void> {
    try {
      await this.kctl(['cluster', 'down']);
    } finally {
      rmSync(this.home, { recursive: true, force: true });
    }
  }

  /** kctl run as a user runs it: the script itself, through its first line. */
  kctl(args: string[], input?: string): Promise<RunResult> {
    return run(KCTL, args, this.env, input);
  }

  kubectl(args: string[], input?: string): Promise<RunResult> {
    return run('kubectl', args, this.env, input);
  }

  /** Any program, with this cluster's kubeconfig in its environment. */
  run(cmd: string, args: string[], input?: string): Promise<RunResult> {
    return run(cmd, args, this.env, input);
  }

  token(): string {
    return readFileSync(join(this.home, 'tokens.csv'), 'utf8').split(',')[0];
  }

  /** A raw API request; with the admin token unless auth is false. */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    auth = true,
  ): Promise<{ status: number; body: any; text: string; raw: Buffer; contentType: string }> {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        this.server + path,
        {
          method,
          ca: this.ca,
          headers: {
            ...(auth ? { Authorization: `Bearer ${this.token()}` } : {}),
            'Content-Type': 'application/json',
            ...(payload ? { 'Content-Length': Buffer.byteLength(payload) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const text = raw.toString();
            let parsed: any;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text, raw, contentType: res.headers['content-type'] ?? '' });
          });
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Creates the object by POST to `path` and fails the test unless it was created. */
  async create(path: string, manifest: object): Promise<any> {
    const r = await this.api('POST', path, manifest);
    if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${r.text}`);
    return r.body;
  }

  createPod(manifest: object, namespace = 'default'): Promise<any> {
    return this.create(`/api/v1/namespaces/${namespace}/pods`, manifest);
  }

  /** Polls the pod until `done` holds for it; fails with its last status after timeoutMs. */
  async waitForPod(name: string, done: (pod: any) => boolean, timeoutMs = 20_000, namespace = 'default'): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.api('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
      if (r.status === 200 && done(r.body)) return r.body;
      if (Date.now() > deadline) throw new Error(`pod ${name} did not get there in ${timeoutMs} ms: ${JSON.stringify(r.body?.status ?? r.body)}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  }

  /**
   * Starts `count` hollow nodes (`kctl-node --hollow-nodes`, named NAME-0..) joining this cluster
   * with a bootstrap token; the caller kills the process. `extra` are more kctl-node flags.
   */
  async startHollowNodes(name: string, count: number, extra: string[] = []): Promise<ChildProcess> {
    const token = await this.kctl(['token', 'create']);
    if (token.code !== 0) throw new Error(`token create failed: ${token.stderr}`);
    const tokenFile = join(this.home, `${name}-token`);
    writeFileSync(tokenFile, token.stdout.trim());
    const args = ['--name', name, '--hollow-nodes', String(count), '--server', this.server, '--token-file', tokenFile, '--ca-file', join(this.home, 'pki/ca.crt'), ...extra];
    return spawn(process.execPath, [join(REPO, 'bin/kctl-node'), ...args], { env: this.env, stdio: 'ignore' });
  }

  /** The process ID of a node agent of this cluster, from its cluster.json. */
  agentPid(node: string): number {
    const state = JSON.parse(readFileSync(join(this.home, 'cluster.json'), 'utf8')) as { nodes: { name: string; pid: number }[] };
    const agent = state.nodes.find((n) => n.name === node);
    if (!agent) throw new Error(`no node agent ${node} in ${this.home}/cluster.json`);
    return agent.pid;
  }

  /** Opens a watch (through the project's own HTTP client) and collects events until `count` arrived or timeoutMs passed. */
  async watch(path: string, count: number, timeoutMs = 10_000): Promise<WatchEvent[]> {
    const client = new HttpClient({ server: this.server, token: this.token(), ca: this.ca });
    const events: WatchEvent[] = [];
    const handle = client.watchPath(path, (e) => {
      events.push(e);
      if (events.length >= count) handle.stop();
    });
    const timer = setTimeout(() => handle.stop(), timeoutMs);
    await handle.done;
    clearTimeout(timer);
    client.close();
    return events;
  }
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<RunResult> {
  return new Promise((res) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}
