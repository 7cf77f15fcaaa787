// The cluster DNS server: answers the cluster's names from Service and Endpoints informers (through
// a ServiceDirectory kept up to date as they change) over UDP and TCP, and forwards every other
// name to the upstream resolvers (the host's, from its resolv.conf, unless told otherwise).
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, isIPv6, type Server, type Socket as TcpSocket } from 'node:net';
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import { CLUSTER_DNS, CLUSTER_DOMAIN } from '../../api/cluster-network.js';
import type { Informer } from '../../api/informer.js';
import type { SharedInformers } from '../../api/shared-informers.js';
import { findByKind } from '../../api/resources.js';
import { resolve } from './cluster-resolver.js';
import { ServiceDirectory } from './dns-directory.js';
import {
  decodeMessage,
  encodeForUdp,
  encodeMessage,
  RCODE,
  TYPE,
  udpPayloadLimit,
  type DnsMessage,
  type ResourceRecord,
} from './dns-message.js';
import { parseResolvConf } from './resolv-conf.js';
import { parseUpstream, UpstreamForwarder } from './upstream-forwarder.js';

const SERVICES = findByKind('Service')!;
const ENDPOINTS = findByKind('Endpoints')!;
/** The UDP payload size this server announces in its OPT record (the DNS flag day's figure). */
const EDNS_PAYLOAD = 1232;
/** An idle TCP client is closed after this long (RFC 7766 suggests seconds). */
const TCP_IDLE_MS = 10_000;

export interface ClusterDnsServerOptions {
  /** Where the Services and Endpoints caches come from. */
  informers: SharedInformers;
  /** Where to listen (UDP and TCP); default CLUSTER_DNS. Port 0 picks one (the same for both). */
  address?: string;
  port?: number;
  /** `ip` or `ip:port`; default the nameservers of `resolvConf`. */
  upstreams?: string[];
  /** The host's resolv.conf, read for the default upstreams; default /etc/resolv.conf. */
  resolvConf?: string;
  /** The cluster domain; default cluster.local. */
  domain?: string;
  log?: (msg: string) => void;
}

export class ClusterDnsServer {
  private readonly directory: ServiceDirectory;
  private readonly services: Informer;
  private readonly endpoints: Informer;
  private readonly forwarder: UpstreamForwarder;
  private readonly log: (msg: string) => void;
  private udp: Socket | undefined;
  private tcp: Server | undefined;
  private readonly connections = new Set<TcpSocket>();
  private synced = false;
  private boundPort = 0;

  constructor(private readonly o: ClusterDnsServerOptions) {
    this.log = o.log ?? (() => {});
    this.directory = new ServiceDirectory(o.domain ?? CLUSTER_DOMAIN);
    const upstreams = o.upstreams ?? parseResolvConf(readFileSync(o.resolvConf ?? '/etc/resolv.conf', 'utf8')).nameservers;
    this.forwarder = new UpstreamForwarder(upstreams.map(parseUpstream));
    this.services = o.informers.informer(SERVICES);
    this.endpoints = o.informers.informer(ENDPOINTS);
    const d = this.directory;
    this.services.addHandlers({
      add: (s) => d.setService(s as Service),
      update: (_, s) => d.setService(s as Service),
      delete: (s) => d.deleteService(s as Service),
    });
    this.endpoints.addHandlers({
      add: (e) => d.setEndpoints(e as Endpoints),
      update: (_, e) => d.setEndpoints(e as Endpoints),
      delete: (e) => d.deleteEndpoints(e as Endpoints),
    });
  }

  /** The port it listens on (UDP and TCP). */
  get port(): number {
    return this.boundPort;
  }

  /**
   * Listens, then resolves once the caches hold the cluster's Services and Endpoints. Until then
   * cluster names answer SERVFAIL (clients try again), never a wrong NXDOMAIN.
   */
  async start(): Promise<void> {
    const address = this.o.address ?? CLUSTER_DNS.address;
    const port = this.o.port ?? CLUSTER_DNS.port;
    // With port 0 the UDP socket picks a port, which TCP may find taken: pick again.
    for (let attempt = 0; ; attempt++) {
      const udp = await this.listenUdp(address, port);
      try {
        this.tcp = await this.listenTcp(address, udp.address().port);
        this.udp = udp;
        this.boundPort = udp.address().port;
        break;
      } catch (err) {
        await new Promise<void>((r) => udp.close(() => r()));
        if (port !== 0 || attempt >= 10 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
    await Promise.all([this.services.hasSynced(), this.endpoints.hasSynced()]);
    this.synced = true;
  }

  private async listenUdp(address: string, port: number): Promise<Socket> {
    const udp = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    udp.on('message', (msg, from) => {
      void this.answer(msg, false).then(
        (reply) => reply && udp.send(reply, from.port, from.address),
        (err) => this.log(`dns: ${(err as Error).message}`),
      );
    });
    await new Promise<void>((res, rej) => {
      udp.once('error', rej);
      udp.bind(port, address, () => (udp.off('error', rej), res()));
    });
    udp.on('error', (err) => this.log(`dns udp: ${err.message}`));
    return udp;
  }

  private async listenTcp(address: string, port: number): Promise<Server> {
    const tcp = createServer((socket) => this.serveTcp(socket));
    await new Promise<void>((res, rej) => {
      tcp.once('error', rej);
      tcp.listen(port, address, () => (tcp.off('error', rej), res()));
    });
    return tcp;
  }

  async stop(): Promise<void> {
    this.services.stop();
    this.endpoints.stop();
    for (const c of this.connections) c.destroy();
    await Promise.all([
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r())),
    ]);
  }

  private serveTcp(socket: TcpSocket): void {
    this.connections.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const query = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + query.length);
        void this.answer(query, true).then(
          (reply) => {
            if (!reply || socket.destroyed) return;
            const length = Buffer.alloc(2);
            length.writeUInt16BE(reply.length);
            socket.write(Buffer.concat([length, reply]));
          },
          (err) => this.log(`dns: ${(err as Error).message}`),
        );
      }
    });
  }

  /** The reply's bytes; undefined when nothing is to be sent back (not a query at all). */
  private async answer(bytes: Buffer, tcp: boolean): Promise<Buffer | undefined> {
    let query: DnsMessage;
    try {
      query = decodeMessage(bytes);
    } catch {
      if (bytes.length < 12 || bytes[2] & 0x80) return undefined;
      return encodeMessage(reply({ id: bytes.readUInt16BE(0), rd: (bytes[2] & 1) === 1, questions: [] } as unknown as DnsMessage, RCODE.FORMERR));
    }
    if (query.qr) return undefined;
    if (query.opcode !== 0) return encodeMessage(reply(query, RCODE.NOTIMP));
    if (query.questions.length !== 1) return encodeMessage(reply(query, RCODE.FORMERR));
    const res = resolve(this.directory, query.questions[0]);
    if (res.forward) return (await this.forwarder.forward(bytes, tcp)) ?? encodeMessage(reply(query, RCODE.SERVFAIL));
    if (!this.synced) return encodeMessage(reply(query, RCODE.SERVFAIL));
    const out = reply(query, res.rcode);
    out.aa = res.aa;
    out.answers = res.answers;
    out.authorities = res.authorities;
    out.additionals = res.additionals;
    if (res.chase) {
      const chased = await this.chase(query, res.chase, tcp);
      if (chased) {
        out.rcode = chased.rcode;
        out.answers.push(...chased.answers.filter((rr) => rr.type === TYPE.A || rr.type === TYPE.AAAA || rr.type === TYPE.CNAME));
      }
    }
    if (query.additionals.some((rr) => rr.type === TYPE.OPT)) out.additionals.push(optRecord());
    return tcp ? encodeMessage(out) : encodeForUdp(out, udpPayloadLimit(query));
  }

  /** An ExternalName's target outside the cluster, asked of the upstreams. */
  private async chase(query: DnsMessage, target: string, tcp: boolean): Promise<DnsMessage | undefined> {
    const q = query.questions[0];
    const ask = encodeMessage({ ...reply(query, 0), qr: false, ra: false, rd: true, questions: [{ name: target, type: q.type, class: q.class }] });
    const answer = await this.forwarder.forward(ask, tcp);
    try {
      return answer ? decodeMessage(answer) : undefined;
    } catch {
      return undefined;
    }
  }
}

function reply(query: DnsMessage, rcode: number): DnsMessage {
  return {
    id: query.id,
    qr: true,
    opcode: query.opcode ?? 0,
    aa: false,
    tc: false,
    rd: query.rd,
    ra: true,
    rcode,
    questions: query.questions,
    answers: [],
    authorities: [],
    additionals: [],
  };
}

function optRecord(): ResourceRecord {
  return { name: '', type: TYPE.OPT, class: EDNS_PAYLOAD, ttl: 0, data: { raw: Buffer.alloc(0) } };
}
