// Where the Docker engine listens, and whether it answers there: what `kctl join` checks before it
// starts an agent. Apart from the client (docker-client.ts) so the check needs only node:http, not
// undici, on the path of every join.
import http from 'node:http';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** The socket `DOCKER_HOST` names (only `unix://` engines: kctl's containers run on this machine). */
export function dockerSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.DOCKER_HOST;
  if (!host) return DEFAULT_DOCKER_SOCKET;
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new Error(`DOCKER_HOST=${host} is not supported: kctl needs the local engine's socket, DOCKER_HOST=unix:///path/to/docker.sock`);
}

/** Whether an engine answers GET /_ping (the engine's liveness endpoint) on the socket within the time. */
export function engineAnswers(socketPath: string, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve(false));
  });
}
