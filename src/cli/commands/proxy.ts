// kctl proxy [--port=8001] [--address=127.0.0.1] [--api-prefix=/] [--accept-hosts=...]: a local
// HTTP server that passes requests (watches and WebSocket upgrades too) to the API server with the
// kubeconfig's credentials, as kubectl proxy does: "Starting to serve on 127.0.0.1:8001".
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import net from 'node:net';
import type { Command } from 'commander';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { intFlag } from '../int-flag.js';
import { DEFAULT_ACCEPT_HOSTS, DEFAULT_ACCEPT_PATHS, DEFAULT_REJECT_METHODS, DEFAULT_REJECT_PATHS, accepts, hostOf, makeFilter, stripPrefix } from '../proxy-filter.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  program
    .command('proxy')
    .description('Run a proxy to the Kubernetes API server')
    .option('-p, --port <port>', 'the port to serve on; 0 picks a free one', intFlag('--port'), 8001)
    .option('--address <ip>', 'the address to serve on', '127.0.0.1')
    .option('--api-prefix <prefix>', 'the prefix to serve the proxied API under', '/')
    .option('--accept-hosts <regexps>', 'the hosts the proxy accepts requests for (comma-separated regular expressions)', DEFAULT_ACCEPT_HOSTS)
    .option('--accept-paths <regexps>', 'the paths the proxy accepts', DEFAULT_ACCEPT_PATHS)
    .option('--reject-paths <regexps>', 'the paths the proxy refuses', DEFAULT_REJECT_PATHS)
    .option('--reject-methods <regexps>', 'the methods the proxy refuses', DEFAULT_REJECT_METHODS)
    .option('--disable-filter', 'accept every request (dangerous on anything but localhost)', false)
    .action(async (opts, cmd: Command) => {
      let filter;
      try {
        filter = makeFilter(opts);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const ctx = await connect(cmd);
      const conn = ctx.client.conn;
      const target = new URL(conn.server);
      const secure = target.protocol === 'https:';
      const tlsOptions = { ca: conn.ca, cert: conn.cert, key: conn.key, rejectUnauthorized: !conn.insecure, ...(net.isIP(target.hostname) ? {} : { servername: target.hostname }) };
      const agent = secure ? new https.Agent({ keepAlive: true, ...tlsOptions }) : new http.Agent({ keepAlive: true });
      const upstreamHeaders = (req: http.IncomingMessage) => {
        const headers: http.OutgoingHttpHeaders = { ...req.headers, host: target.host };
        if (conn.token) headers.authorization = `Bearer ${conn.token}`;
        return headers;
      };
      const allowed = (req: http.IncomingMessage) => opts.disableFilter || accepts(filter, req.method ?? '', new URL(req.url ?? '/', 'http://x').pathname, hostOf(req.headers.host));
      const server = http.createServer((req, res) => {
        const path = stripPrefix(req.url ?? '/', opts.apiPrefix);
        if (path === undefined) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
          return;
        }
        if (!allowed(req)) {
          res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden\n');
          return;
        }
        const upstream = (secure ? https : http).request(
          { protocol: target.protocol, hostname: target.hostname, port: target.port, path, method: req.method, headers: upstreamHeaders(req), agent },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', (err) => {
          if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`error trying to reach the API server: ${err.message}\n`);
        });
        req.pipe(upstream);
      });
      // WebSocket and SPDY upgrades (exec, port-forward through the proxy) pass as raw bytes.
      server.on('upgrade', (req, socket, head) => {
        const path = stripPrefix(req.url ?? '/', opts.apiPrefix);
        if (path === undefined || !allowed(req)) {
          socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 10\r\n\r\nForbidden\n');
          return;
        }
        const port = Number(target.port) || (secure ? 443 : 80);
        const upstream: net.Socket = secure ? tls.connect({ host: target.hostname, port, ...tlsOptions }) : net.connect(port, target.hostname);
        upstream.once(secure ? 'secureConnect' : 'connect', () => {
          const headers = upstreamHeaders(req);
          const lines = [`${req.method} ${path} HTTP/1.1`, ...Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`) : [`${k}: ${v}`]))];
          upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
          if (head.length) upstream.write(head);
          upstream.pipe(socket);
          socket.pipe(upstream);
        });
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) => reject(new CliError(`listen tcp ${opts.address}:${opts.port}: bind: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`)));
        server.listen(opts.port, opts.address, () => resolve());
      });
      const address = server.address() as net.AddressInfo;
      io.out.write(`Starting to serve on ${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      ctx.client.close();
      agent.destroy();
    });
}
