// DNS lookups as a pod makes them: this machine's node binary is run inside the pod's network
// namespace (nsenter -n), sending one A query after another over UDP and timing each answer.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLASS_IN, encodeMessage, TYPE } from '../../src/nodeagent/dns/dns-message.js';

const exec = promisify(execFile);

/** A standard query for `name` (A, IN, recursion desired), id 0: the child numbers them. */
function query(name: string): Buffer {
  return encodeMessage({ id: 0, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0, questions: [{ name, type: TYPE.A, class: CLASS_IN }], answers: [], authorities: [], additionals: [] });
}

const CHILD = `
const dgram = require('node:dgram');
const [server, hex, count] = process.argv.slice(1);
const q = Buffer.from(hex, 'hex');
const s = dgram.createSocket('udp4');
const out = [];
let i = 0, t0 = 0;
function next() {
  if (i === Number(count)) { s.close(); process.stdout.write(JSON.stringify(out)); return; }
  q.writeUInt16BE(++i & 0xffff, 0);
  t0 = performance.now();
  s.send(q, 53, server);
}
s.on('message', (m) => {
  if (m.readUInt16BE(0) !== (i & 0xffff)) return;
  if ((m[3] & 0x0f) !== 0 || m.readUInt16BE(6) === 0) { console.error('no answer, rcode ' + (m[3] & 0x0f)); process.exit(1); }
  out.push(performance.now() - t0);
  next();
});
setTimeout(() => { console.error('timed out after ' + out.length + ' answers'); process.exit(1); }, 30000).unref();
next();
`;

/** Latencies (ms) of `count` sequential lookups of `name` at `server`, from the network namespace of process `pid`. */
export async function dnsLoad(pid: number, opts: { server: string; name: string; count: number }): Promise<number[]> {
  const { stdout } = await exec('nsenter', ['-t', String(pid), '-n', process.execPath, '-e', CHILD, opts.server, query(opts.name).toString('hex'), String(opts.count)]);
  return JSON.parse(stdout) as number[];
}
