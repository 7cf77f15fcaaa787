// `cluster up` waits until its nodes are Ready by watching Nodes (a list, then a watch from its
// revision; re-listed when the watch ends), never by polling the API. A Node counts only once
// its agent has reported since `since`, so a Ready status left over from an earlier run of the
// cluster is not mistaken for a live node.
import type { ApiClient, WatchHandle } from '../../api/client.js';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';

const NODES = findByKind('Node')!;
const CHECK_INTERVAL_MS = 250;

export interface NodeReadiness {
  ready: boolean;
  /** `Ready`, `NotReady (reason: message)`, `not registered yet`, ... */
  text: string;
}

/** Whether a Node is Ready as reported after `since` (ms since the epoch; the API keeps whole seconds). */
export function nodeReadiness(node: KubeObject | undefined, since: number): NodeReadiness {
  if (!node) return { ready: false, text: 'not registered yet' };
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (!ready) return { ready: false, text: 'no Ready condition yet' };
  if (Date.parse(ready.lastHeartbeatTime ?? '') < Math.floor(since / 1000) * 1000) return { ready: false, text: 'no status reported yet' };
  if (ready.status === 'True') return { ready: true, text: 'Ready' };
  return { ready: false, text: `NotReady (${ready.reason}: ${ready.message})` };
}

export interface WaitForNodesOptions {
  since: number;
  timeoutMs: number;
  onProgress: (ready: number, total: number) => void;
  /** Why waiting is pointless (an agent exited), checked as time passes; undefined while all is well. */
  agentProblem: () => string | undefined;
  /** Where a node's log is, for the timeout message. */
  logOf: (name: string) => string;
}

export function waitForNodesReady(client: ApiClient, names: string[], opts: WaitForNodesOptions): Promise<void> {
  const nodes = new Map<string, KubeObject>();
  const deadline = Date.now() + opts.timeoutMs;
  let watch: WatchHandle | undefined;
  let finished = false;
  let reported = -1;
  return new Promise<void>((resolve, reject) => {
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      watch?.stop();
      if (err) reject(err);
      else resolve();
    };
    const check = () => {
      const ready = names.filter((n) => nodeReadiness(nodes.get(n), opts.since).ready).length;
      if (ready !== reported) {
        reported = ready;
        opts.onProgress(ready, names.length);
      }
      if (ready === names.length) finish();
    };
    const timer = setInterval(() => {
      const problem = opts.agentProblem();
      if (problem) finish(new CliError(problem));
      else if (Date.now() > deadline) {
        const waiting = names
          .map((n) => ({ n, r: nodeReadiness(nodes.get(n), opts.since) }))
          .filter(({ r }) => !r.ready)
          .map(({ n, r }) => `  ${n}: ${r.text} (log: ${opts.logOf(n)})`);
        finish(new CliError(`nodes not Ready within ${opts.timeoutMs / 1000}s:\n${waiting.join('\n')}`));
      }
    }, CHECK_INTERVAL_MS);
    const follow = async () => {
      while (!finished) {
        try {
          const list = await client.list(NODES, undefined);
          nodes.clear();
          for (const n of list.items) nodes.set(n.metadata.name!, n);
          check();
          if (finished) return;
          const handle = client.watch(NODES, undefined, { resourceVersion: list.metadata.resourceVersion }, (e) => {
            if (e.type === 'ADDED' || e.type === 'MODIFIED') nodes.set(e.object.metadata.name!, e.object);
            else if (e.type === 'DELETED') nodes.delete(e.object.metadata.name!);
            else if (e.type === 'ERROR') handle.stop();
            check();
          });
          watch = handle;
          await handle.done;
        } catch {
          // The API did not answer this time; the deadline bounds the retries.
          await new Promise((r) => setTimeout(r, CHECK_INTERVAL_MS));
        }
      }
    };
    void follow();
  });
}
