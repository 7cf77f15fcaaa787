// The local side of a port-forward, as client-go's PortForwarder behaves: listeners on every
// address for every port pair, and for each accepted connection one WebSocket to
// pods/portforward carrying it (the connection's bytes on data channel 0, the kubelet's failure
// text, if any, on error channel 1). An error from the pod side ends the forward, as kubectl
// 1.32 does ("lost connection to pod").
import net from 'node:net';
import type { WebSocket } from 'ws';
import { PortForwardDecoder, dataChannel, errorChannel } from '../api/portforward.js';
import { encodeFrame } from '../api/remotecommand.js';
import { joinHostPort, type ForwardedPort, type ListenAddress } from './port-forward-ports.js';

export interface PortForwarderOptions {
  addresses: ListenAddress[];
  ports: ForwardedPort[];
  /** A WebSocket to pods/portforward for one remote port, paused until the forwarder listens to it. */
  connect: (remotePort: number) => Promise<WebSocket>;
  out: (line: string) => void;
  errOut: (line: string) => void;
}

/** Go's text of a listen error: `listen tcp4 127.0.0.1:8080: bind: address already in use`. */
function listenErrorText(addr: ListenAddress, port: number, err: NodeJS.ErrnoException): string {
  const reasons: Record<string, string> = {
    EADDRINUSE: 'bind: address already in use',
    EACCES: 'bind: permission denied',
    EADDRNOTAVAIL: 'bind: cannot assign requested address',
  };
  return `listen tcp${addr.family} ${joinHostPort(addr.address, port)}: ${reasons[err.code ?? ''] ?? err.message}`;
}

function listen(addr: ListenAddress, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: addr.address, port, ipv6Only: addr.family === 6 }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export class PortForwarder {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly sessions = new Set<WebSocket>();
  private failed?: (err: Error) => void;
  /** Resolves on close(); rejects when a forwarded connection failed on the pod's side. */
  readonly done: Promise<void>;
  private stopped?: () => void;

  constructor(private readonly o: PortForwarderOptions) {
    this.done = new Promise((resolve, reject) => {
      this.stopped = resolve;
      this.failed = reject;
    });
    // Whoever awaits `done` hears the failure; until then it is not an unhandled rejection.
    this.done.catch(() => {});
  }

  /** Listens on every port; throws kubectl's error when no port could be listened on. */
  async start(): Promise<void> {
    let anyListening = false;
    for (const port of this.o.ports) {
      try {
        await this.listenOnPort(port);
        anyListening = true;
      } catch (err) {
        this.o.errOut(`Unable to listen on port ${port.local}: ${(err as Error).message}`);
      }
    }
    if (!anyListening) {
      throw new Error(`unable to listen on any of the requested ports: [${this.o.ports.map((p) => `{${p.local} ${p.remote}}`).join(' ')}]`);
    }
  }

  /** client-go's listenOnPort: localhost fails only when both its addresses failed. */
  private async listenOnPort(port: ForwardedPort): Promise<void> {
    const errors: string[] = [];
    const failures = { all: 0, any: 0 };
    let allSucceeded = 0;
    for (const addr of this.o.addresses) {
      try {
        const server = await listen(addr, port.local);
        // `:REMOTE` picks a port on the first address and keeps it for the others.
        port.local = (server.address() as net.AddressInfo).port;
        this.o.out(`Forwarding from ${joinHostPort(addr.address, port.local)} -> ${port.remote}`);
        server.on('connection', (socket) => this.handleConnection(socket, port));
        this.servers.push(server);
        if (addr.failureMode === 'all') allSucceeded++;
      } catch (err) {
        errors.push(`unable to create listener: Error ${listenErrorText(addr, port.local, err as NodeJS.ErrnoException)}`);
        failures[addr.failureMode]++;
      }
    }
    if ((allSucceeded === 0 && failures.all > 0) || failures.any > 0) {
      throw new Error(`Listeners failed to create with the following errors: [${errors.join(' ')}]`);
    }
  }

  private handleConnection(socket: net.Socket, port: ForwardedPort): void {
    this.o.out(`Handling connection for ${port.local}`);
    this.sockets.add(socket);
    // Nothing is read before the WebSocket is open, so nothing is lost.
    socket.pause();
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    this.o.connect(port.remote).then(
      (ws) => this.carry(socket, ws, port),
      (err: Error) => {
        socket.destroy();
        this.fail(new Error(`error creating error stream for port ${port.local} -> ${port.remote}: ${err.message}`));
      },
    );
  }

  private carry(socket: net.Socket, ws: WebSocket, port: ForwardedPort): void {
    if (socket.destroyed) return ws.close(1000);
    this.sessions.add(ws);
    const decoder = new PortForwardDecoder([port.remote]);
    let errorText = '';
    ws.on('message', (message: Buffer) => {
      try {
        const frame = decoder.decode(message);
        if (frame?.channel === dataChannel(0)) socket.write(frame.data);
        else if (frame?.channel === errorChannel(0)) errorText += frame.data.toString('utf8');
      } catch (err) {
        errorText += (err as Error).message;
        ws.close(1000);
      }
    });
    ws.on('error', (err) => {
      errorText ||= `error reading from error stream for port ${port.local} -> ${port.remote}: ${err.message}`;
    });
    ws.on('close', () => {
      this.sessions.delete(ws);
      // The pod's side is done: what it sent is flushed, then the local connection ends.
      socket.end();
      if (errorText) this.fail(new Error(errorText.startsWith('error reading') ? errorText : `an error occurred forwarding ${port.local} -> ${port.remote}: ${errorText}`));
    });
    socket.on('data', (chunk: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(dataChannel(0), chunk));
    });
    // The WebSocket cannot half-close a channel: the local connection ending ends the stream.
    socket.on('end', () => ws.close(1000));
    socket.on('close', () => {
      if (ws.readyState === ws.OPEN) ws.close(1000);
    });
    socket.resume();
    ws.resume();
  }

  private fail(err: Error): void {
    this.o.errOut(err.message);
    this.failed?.(new Error('lost connection to pod'));
  }

  /** Stops listening and ends every forwarded connection. */
  close(): void {
    for (const server of this.servers) server.close();
    for (const ws of this.sessions) ws.terminate();
    for (const socket of this.sockets) socket.destroy();
    this.stopped?.();
  }
}
