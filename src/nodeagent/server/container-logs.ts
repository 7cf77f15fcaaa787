// GET /containerLogs/{namespace}/{pod}/{container}: the container's output as plain text, stdout
// and stderr interleaved as written, followed while the container runs when asked.
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { HttpClient } from '../../api/http-client.js';
import { findByKind } from '../../api/resources.js';
import type { DockerClient } from '../docker/docker-client.js';
import { LogRequestError, parseLogRequest } from './log-request.js';
import { missingLogsMessage } from './missing-container.js';
import { findRun, type ContainerRef, type NodeScope } from './pod-containers.js';

const PODS = findByKind('Pod')!;

export interface LogsDeps {
  docker: DockerClient;
  client: HttpClient;
  scope: NodeScope;
}

/** The kubelet's answer when a pod container has no run to show: why, from the pod's status. */
async function noLogs(client: HttpClient, ref: ContainerRef, previous: boolean): Promise<ApiError> {
  let pod;
  try {
    pod = await client.get(PODS, ref.namespace, ref.pod);
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'NotFound') return new ApiError('NotFound', `pod "${ref.pod}" cannot be found - no logs available`);
    throw err;
  }
  return new ApiError('BadRequest', missingLogsMessage(ref.pod, ref.container, pod.status, previous));
}

export async function serveContainerLogs(deps: LogsDeps, ref: ContainerRef, query: URLSearchParams, res: ServerResponse): Promise<void> {
  let request;
  try {
    request = parseLogRequest(query, new Date());
  } catch (err) {
    if (err instanceof LogRequestError) throw new ApiError('BadRequest', err.message);
    throw err;
  }
  const run = await findRun(deps.docker, deps.scope, ref, request.previous);
  if (!run) throw await noLogs(deps.client, ref, request.previous);
  const stream = await deps.docker.containerLogs(run.Id, request.docker);
  // The client went away: stop reading the engine's stream.
  res.on('close', () => stream.close());
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  // A followed log must reach the client line by line, not when a buffer fills.
  res.flushHeaders();
  let budget = request.limitBytes ?? Infinity;
  for await (const frame of stream) {
    const data = frame.data.length > budget ? frame.data.subarray(0, budget) : frame.data;
    budget -= data.length;
    if (!res.write(data)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    if (budget <= 0) {
      stream.close();
      break;
    }
  }
  res.end();
}
