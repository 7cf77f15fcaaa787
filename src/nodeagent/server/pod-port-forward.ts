// /portForward/{namespace}/{pod}?port=…: Kubernetes' WebSocket port-forward. Each requested port
// becomes one TCP connection to the pod, dialled at its IP (the sandbox's address on the pod
// network, reachable from the host), whose bytes travel on that port's data channel.
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError } from '../../api/errors.js';
import { POD_NETWORK } from '../../api/cluster-network.js';
import { PORTFORWARD_SUBPROTOCOLS, dataChannel, encodePortPrefix, errorChannel, parsePortParams } from '../../api/portforward.js';
import { decodeFrame, encodeFrame } from '../../api/remotecommand.js';
import type { DockerClient } from '../docker/docker-client.js';
import { SANDBOX_CONTAINER_NAME } from '../pods/containers.js';
import { findRun, type NodeScope } from './pod-containers.js';

interface PodSandbox {
  id: string;
  ip: string;
}

export class PortForwardServer {
  // As the kubelet: the binary channel protocol, also for a client that names no subprotocol.
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PORTFORWARD_SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  constructor(
    private readonly docker: DockerClient,
    private readonly scope: NodeScope,
    private readonly log: (msg: string) => void,
  ) {}

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  async serve(req: IncomingMessage, socket: Duplex, head: Buffer, namespace: string, pod: string, query: URLSearchParams): Promise<void> {
    // The transport first, as the kubelet (ports are in the query only for WebSocket clients). The
    // API server ends kubectl's SPDY itself and comes here over WebSocket; anything else is refused.
    const upgrade = req.headers.upgrade ?? '';
    if (upgrade.toLowerCase() !== 'websocket') {
      throw new ApiError('BadRequest', `unable to upgrade to ${upgrade}: the node agent serves port-forward over WebSocket only (${PORTFORWARD_SUBPROTOCOLS.join(', ')})`);
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    if (offered.length > 0 && !offered.some((p) => (PORTFORWARD_SUBPROTOCOLS as readonly string[]).includes(p))) {
      throw new ApiError('BadRequest', `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${PORTFORWARD_SUBPROTOCOLS.join(' ')}]`);
    }
    let ports: number[];
    try {
      ports = parsePortParams(query.getAll('port'));
    } catch (err) {
      throw new ApiError('BadRequest', (err as Error).message);
    }
    const sandbox = await this.sandbox(namespace, pod);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.session(ws, sandbox, ports));
  }

  /** The pod's running sandbox and its IP on the pod network. */
  private async sandbox(namespace: string, pod: string): Promise<PodSandbox> {
    const run = await findRun(this.docker, this.scope, { namespace, pod, container: SANDBOX_CONTAINER_NAME }, false);
    const ip = run?.NetworkSettings?.Networks[POD_NETWORK]?.IPAddress;
    if (!run || run.State !== 'running' || !ip) throw new ApiError('NotFound', `pod not found ("${pod}_${namespace}")`);
    return { id: run.Id, ip };
  }

  private session(ws: WebSocket, sandbox: PodSandbox, ports: number[]): void {
    const conns: net.Socket[] = [];
    let open = ports.length;
    const portDone = () => {
      if (--open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
    };
    ports.forEach((port, i) => {
      ws.send(encodePortPrefix(dataChannel(i), port));
      ws.send(encodePortPrefix(errorChannel(i), port));
      const conn = net.connect({ host: sandbox.ip, port });
      conns.push(conn);
      conn.on('data', (chunk: Buffer) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeFrame(dataChannel(i), chunk));
      });
      conn.on('error', (err: NodeJS.ErrnoException) => {
        // The kubelet's words, naming the sandbox as the CRI streaming server does.
        const message = `error forwarding port ${port} to pod ${sandbox.id}, uid : failed to connect to ${sandbox.ip}:${port}: ${err.message}`;
        this.log(message);
        if (ws.readyState === ws.OPEN) ws.send(encodeFrame(errorChannel(i), message));
      });
      conn.on('close', portDone);
    });
    ws.on('message', (message: Buffer, isBinary: boolean) => {
      const frame = isBinary ? decodeFrame(message) : undefined;
      // Only data channels carry anything from the client; the others are ignored, as the kubelet does.
      if (!frame || frame.channel % 2 !== 0) return;
      const conn = conns[frame.channel / 2];
      if (conn?.writable) conn.write(frame.data);
    });
    ws.on('error', (err) => this.log(`port-forward to ${sandbox.ip}: ${err.message}`));
    ws.on('close', () => {
      for (const conn of conns) conn.destroy();
    });
  }
}
