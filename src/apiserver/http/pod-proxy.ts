// pods/log, pods/exec and pods/portforward: the API server finds the pod's node and relays the
// request to that node's agent, authenticated with the API server's own proxy token (the agent
// accepts nothing else). Logs stream through as plain text; the WebSocket upgrades of exec and
// port-forward are handed to the agent and the two upgraded connections are joined byte for byte.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { ApiError } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import type { Registry } from '../registry/registry.js';
import { PORTFORWARD_SUBPROTOCOLS } from '../../api/portforward.js';
import { isSpdyUpgrade, serveSpdyPortForward } from './spdy-port-forward.js';
import { agentEndpoint, agentPath, podContainer, portForwardPath, type AgentEndpoint } from './pod-stream-target.js';

const PODS = findByKind('Pod')!;
const NODES = findByKind('Node')!;

// What a WebSocket handshake needs to reach the agent intact.
const UPGRADE_HEADERS = ['upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions'];

interface Target {
  endpoint: AgentEndpoint;
  path: string;
}

/** An agent's answer that is not a success, as the Status to send on. */
function readAgentError(res: IncomingMessage): Promise<ApiError> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', () => resolve(new ApiError('InternalError', `the node agent answered ${res.statusCode}`)));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      const code = res.statusCode ?? 500;
      try {
        const status = JSON.parse(text);
        if (status?.kind === 'Status') return resolve(ApiError.fromStatus(status, code));
      } catch {
        // plain text: the message as it came
      }
      resolve(ApiError.fromStatus({ message: text || `the node agent answered ${code}` }, code));
    });
  });
}

function dialError(endpoint: AgentEndpoint, err: Error): ApiError {
  return new ApiError('InternalError', `error dialing backend: dial tcp ${endpoint.host}:${endpoint.port}: ${err.message}`);
}

export class PodProxy {
  constructor(
    private readonly registry: Registry,
    private readonly proxyToken: string,
    private readonly log: (msg: string) => void,
  ) {}

  /** The agent's address and path for the pod; undefined when the pod has no node yet. */
  private target(kind: 'containerLogs' | 'exec' | 'attach' | 'portforward', namespace: string, name: string, query: URLSearchParams): Target | undefined {
    const pod = this.registry.get(PODS, namespace, name);
    const container = kind === 'portforward' ? undefined : podContainer(pod, query.get('container') || undefined, kind === 'containerLogs' ? 'log' : 'exec');
    const nodeName = pod.spec?.nodeName as string | undefined;
    if (!nodeName) {
      if (kind !== 'containerLogs') throw new ApiError('BadRequest', `pod ${name} does not have a host assigned`);
      return undefined;
    }
    const endpoint = agentEndpoint(this.registry.get(NODES, undefined, nodeName));
    const path = kind === 'portforward' ? portForwardPath(namespace, name, query) : agentPath(kind, namespace, name, container!, query);
    return { endpoint, path };
  }

  async logs(res: ServerResponse, namespace: string, name: string, query: URLSearchParams): Promise<void> {
    const target = this.target('containerLogs', namespace, name, query);
    if (!target) {
      // A pod not yet on a node has no logs: Kubernetes answers an empty body.
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
      res.end();
      return;
    }
    const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
      const r = http.get(
        { host: target.endpoint.host, port: target.endpoint.port, path: target.path, headers: { Authorization: `Bearer ${this.proxyToken}` } },
        resolve,
      );
      r.on('error', (err) => reject(dialError(target.endpoint, err)));
      // The client went away before the agent answered.
      res.on('close', () => r.destroy());
    });
    if (upstream.statusCode !== 200) throw await readAgentError(upstream);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    upstream.pipe(res);
    await new Promise<void>((resolve) => {
      upstream.on('end', resolve);
      upstream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', () => {
        upstream.destroy();
        resolve();
      });
    });
  }

  /** Hands an exec's, attach's or port-forward's WebSocket upgrade to the agent; the client then talks to the agent. */
  async upgrade(
    subresource: 'exec' | 'attach' | 'portforward',
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    namespace: string,
    name: string,
    query: URLSearchParams,
  ): Promise<void> {
    const target = this.target(subresource, namespace, name, query)!;
    // kubectl's SPDY port-forward is served here, carried to the agent over WebSockets.
    if (subresource === 'portforward' && isSpdyUpgrade(req)) {
      return serveSpdyPortForward(req, socket, head, (port) => this.dialPortForward(target, namespace, name, port), this.log);
    }
    // Any other upgrade goes on: the agent says why it cannot serve one (a tunnelled SPDY, a stopped container).
    const headers: Record<string, string> = { Authorization: `Bearer ${this.proxyToken}` };
    for (const h of UPGRADE_HEADERS) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    await new Promise<void>((resolve, reject) => {
      const upstream = http.request({ host: target.endpoint.host, port: target.endpoint.port, path: target.path, method: 'GET', headers });
      upstream.on('error', (err) => reject(dialError(target.endpoint, err)));
      upstream.on('response', (res) => readAgentError(res).then(reject));
      upstream.on('upgrade', (res, agentSocket, agentHead) => {
        const lines = [`HTTP/1.1 101 ${res.statusMessage || 'Switching Protocols'}`];
        for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (agentHead.length) socket.write(agentHead);
        if (head.length) agentSocket.write(head);
        agentSocket.pipe(socket);
        socket.pipe(agentSocket);
        const closeBoth = () => {
          agentSocket.destroy();
          socket.destroy();
        };
        agentSocket.on('error', closeBoth);
        socket.on('error', closeBoth);
        agentSocket.on('close', closeBoth);
        socket.on('close', closeBoth);
        resolve();
      });
      upstream.end();
    });
  }

  /** A WebSocket to the agent's /portForward for one port; the agent's refusal comes out as the error. */
  private dialPortForward(target: Target, namespace: string, name: string, port: number): WebSocket {
    const { host, port: agentPort } = target.endpoint;
    const path = portForwardPath(namespace, name, new URLSearchParams({ ports: String(port) }));
    const ws = new WebSocket(`ws://${host.includes(':') ? `[${host}]` : host}:${agentPort}${path}`, [...PORTFORWARD_SUBPROTOCOLS], {
      headers: { Authorization: `Bearer ${this.proxyToken}` },
    });
    ws.on('unexpected-response', (_req, res) => {
      readAgentError(res).then((err) => {
        ws.emit('error', err);
        ws.terminate();
      });
    });
    return ws;
  }
}
