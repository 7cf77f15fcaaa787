// The containers' postStart and preStop hooks (exec in the container, an HTTP GET to the pod, or a
// sleep), with the kubelet's failure messages for the FailedPostStartHook / FailedPreStopHook events.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Container, LifecycleHandler, Pod } from 'kubernetes-types/core/v1.js';
import type { DockerClient } from '../docker/docker-client.js';
import { dialErrorText, joinHostPort } from './probes/go-net-errors.js';
import { podDescription } from './pod-reference.js';

export interface HookTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  /** Where an httpGet without a host goes. */
  podIP?: string;
}

class HookTimeout extends Error {}

/** Go's %q of a string, close enough for the kubelet's quoted output. */
function quoted(s: string): string {
  return JSON.stringify(s);
}

/** A named port is looked up among the container's ports. */
function hookPort(container: Container, port: number | string): number {
  if (typeof port === 'number' || /^\d+$/.test(port)) return Number(port);
  const found = container.ports?.find((p) => p.name === port);
  if (!found) throw new Error(`couldn't find port: ${port} in ${container.name}`);
  return found.containerPort;
}

function httpGet(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: 'GET', headers, rejectUnauthorized: false, agent: false, timeout: timeoutMs }, (res) => {
      // The kubelet discards the answer: any status is a hook that ran.
      res.resume();
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new HookTimeout()));
    req.on('error', reject);
    req.end();
  });
}

/** Runs one handler; resolves to the kubelet's failure message, or undefined when it succeeded. */
export async function runHook(docker: DockerClient, handler: LifecycleHandler, t: HookTarget, timeoutMs: number): Promise<string | undefined> {
  const where = `for Container ${quoted(t.container.name)} in Pod ${quoted(podDescription(t.pod))}`;
  if (handler.exec) {
    const command = handler.exec.command ?? [];
    const run = docker.exec(t.containerId, { Cmd: command });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new HookTimeout()), timeoutMs)));
    try {
      const r = await Promise.race([run, timeout]);
      if (r.exitCode === 0) return undefined;
      const output = r.stdout + r.stderr;
      return `Exec lifecycle hook ([${command.join(' ')}]) ${where} failed - error: command '${command.join(' ')}' exited with ${r.exitCode}: ${r.stderr}, message: ${quoted(output)}`;
    } catch (err) {
      const text = err instanceof HookTimeout ? `command timed out after ${Math.round(timeoutMs / 1000)}s` : (err as Error).message;
      return `Exec lifecycle hook ([${command.join(' ')}]) ${where} failed - error: ${text}, message: ""`;
    } finally {
      clearTimeout(timer);
    }
  }
  if (handler.httpGet) {
    const h = handler.httpGet;
    const host = h.host || t.podIP || '';
    let url: URL | undefined;
    try {
      const port = hookPort(t.container, h.port);
      const path = (h.path ?? '/').startsWith('/') ? (h.path ?? '/') : `/${h.path}`;
      url = new URL(`${(h.scheme ?? 'HTTP').toLowerCase()}://${joinHostPort(host, port)}${path}`);
      const headers = Object.fromEntries((h.httpHeaders ?? []).map((x) => [x.name, x.value]));
      await httpGet(url, headers, timeoutMs);
      return undefined;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const text = !url
        ? e.message
        : err instanceof HookTimeout
          ? `Get "${url.href}": context deadline exceeded`
          : `Get "${url.href}": ${e.code ? dialErrorText(url.hostname, Number(url.port), e) : e.message}`;
      return `HTTP lifecycle hook (${h.path ?? ''}) ${where} failed - error: ${text}`;
    }
  }
  if (handler.sleep) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(handler.sleep!.seconds * 1000, timeoutMs)));
    return undefined;
  }
  return undefined;
}
