// The httpGet probe as the kubelet's (pkg/probe/http): a GET with its User-Agent, no keep-alive
// and no certificate verification; 200–399 is a success, a redirect to another host ends the
// probe with a warning, and any failure's output is Go's error text for it.
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HTTPHeader } from 'kubernetes-types/core/v1.js';
import { KUBELET_VERSION } from '../../node-object.js';
import { dialErrorText, joinHostPort } from './go-net-errors.js';
import { failure, success, type ProbeOutcome } from './probe-outcome.js';

/** `kube-probe/<major>.<minor>`, the kubelet's probe User-Agent. */
export const PROBE_USER_AGENT = `kube-probe/${KUBELET_VERSION.replace(/^v(\d+\.\d+).*$/, '$1')}`;
/** The kubelet reads at most this much of a probed response's body. */
const MAX_BODY_BYTES = 10 * 1024;
/** Go's http.Client gives up after this many redirects. */
const MAX_REDIRECTS = 10;

export interface HttpProbeTarget {
  scheme: 'HTTP' | 'HTTPS';
  host: string;
  port: number;
  /** The path, with its query if any. */
  path: string;
  headers: HTTPHeader[];
}

/** The probe's URL as the kubelet formats it (and quotes it in errors: the port always shown). */
export function probeUrl(t: HttpProbeTarget): string {
  const path = t.path.startsWith('/') ? t.path : `/${t.path}`;
  return `${t.scheme.toLowerCase()}://${joinHostPort(t.host, t.port)}${path}`;
}

/** The request's headers: the probe's own (repeatable), then the kubelet's User-Agent and Accept unless given. */
export function probeHeaders(headers: HTTPHeader[]): OutgoingHttpHeaders {
  const out: Record<string, string[]> = {};
  for (const h of headers) (out[h.name] ??= []).push(h.value);
  const given = new Set(headers.map((h) => h.name.toLowerCase()));
  if (!given.has('user-agent')) out['User-Agent'] = [PROBE_USER_AGENT];
  if (!given.has('accept')) out['Accept'] = ['*/*'];
  out['Connection'] = ['close'];
  // Node sends an array as repeated header lines; Host must be a single one.
  return Object.fromEntries(Object.entries(out).map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
}

class ProbeTimeout extends Error {}

export async function httpProbe(target: HttpProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const deadline = Date.now() + timeoutMs;
  const headers = probeHeaders(target.headers);
  let shown = probeUrl(target);
  for (let redirects = 0; ; redirects++) {
    const url = new URL(shown);
    let res: IncomingMessage;
    let body: string;
    try {
      ({ res, body } = await get(url, headers, deadline));
    } catch (err) {
      return failure(`Get "${shown}": ${requestErrorText(url, err as NodeJS.ErrnoException)}`);
    }
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      const next = new URL(location, url);
      // The kubelet follows redirects on the same host only.
      if (next.hostname === url.hostname) {
        if (redirects + 1 >= MAX_REDIRECTS) return failure(`Get "${next.href}": stopped after ${MAX_REDIRECTS} redirects`);
        shown = next.href;
        continue;
      }
    }
    if (status >= 200 && status < 300) return success(body);
    if (status >= 300 && status < 400) return { result: 'warning', output: `Probe terminated redirects, Response body: ${body}` };
    return failure(`HTTP probe failed with statuscode: ${status}`);
  }
}

function get(url: URL, headers: OutgoingHttpHeaders, deadline: number): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: 'GET', headers, rejectUnauthorized: false, agent: false });
    const timer = setTimeout(() => req.destroy(new ProbeTimeout()), Math.max(0, deadline - Date.now()));
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const finish = () => {
        clearTimeout(timer);
        res.destroy();
        resolve({ res, body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8') });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= MAX_BODY_BYTES) finish();
      });
      res.on('end', finish);
      res.on('error', () => finish());
    });
    req.end();
  });
}

// Go's http.Client errors after `Get "<url>": `.
function requestErrorText(url: URL, err: NodeJS.ErrnoException): string {
  if (err instanceof ProbeTimeout) return 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
  if (err.code === 'ECONNRESET' && err.message === 'socket hang up') return 'EOF';
  if (err.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || err.code === 'EPROTO') return 'http: server gave HTTP response to HTTPS client';
  if (err.syscall === 'connect' || err.syscall === 'getaddrinfo') {
    return dialErrorText(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || (url.protocol === 'https:' ? 443 : 80)), err);
  }
  return err.message;
}
