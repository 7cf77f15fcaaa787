// Whether the container runtime answers, and its version: what the Ready condition and nodeInfo's
// containerRuntimeVersion report. A hung engine counts as down after a timeout.
import type { DockerClient } from './docker/docker-client.js';
import type { RuntimeState } from './node-object.js';

export class DockerRuntimeProbe {
  constructor(
    private readonly docker: DockerClient,
    private readonly timeoutMs = 5000,
  ) {}

  async probe(): Promise<RuntimeState> {
    try {
      await this.docker.ping(AbortSignal.timeout(this.timeoutMs));
      const version = await this.withinTimeout(this.docker.version());
      return { ok: true, version: version.Version };
    } catch (err) {
      return { ok: false, error: this.describe(err) };
    }
  }

  private withinTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), this.timeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  private describe(err: unknown): string {
    const e = err as Error;
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return `the Docker engine on ${this.docker.socketPath} did not answer within ${this.timeoutMs / 1000}s`;
    }
    return e?.message ?? String(err);
  }
}
