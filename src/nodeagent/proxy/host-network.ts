// What the host's kernel must allow for Services to work, set by the proxy before its rules:
// - a route sending the service range to the pod bridge, so a service address never follows the
//   default route off this machine (not even one without endpoints or not yet programmed);
// - route_localnet, so traffic to a node port or load-balancer address on 127.0.0.0/8 may be
//   DNATed to a pod (kube-proxy sets it for the same reason);
// - bridge-nf-call-iptables, so a pod's reply to another pod on the same bridge is un-NATed;
// - ip_forward, so pods' traffic to service addresses is routed at all.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);

const SYSCTLS = [
  '/proc/sys/net/ipv4/conf/all/route_localnet',
  '/proc/sys/net/bridge/bridge-nf-call-iptables',
  '/proc/sys/net/ipv4/ip_forward',
];

async function enable(path: string): Promise<void> {
  if ((await readFile(path, 'utf8').catch(() => '')).trim() === '1') return;
  if (path.includes('/net/bridge/')) await exec('modprobe', ['br_netfilter']).catch(() => undefined);
  await writeFile(path, '1\n');
}

export async function prepareHostNetwork(serviceCidr: string, bridge: string): Promise<void> {
  for (const path of SYSCTLS) await enable(path);
  try {
    await exec('ip', ['route', 'replace', serviceCidr, 'dev', bridge]);
  } catch (err) {
    throw new Error(`cannot route the service range ${serviceCidr} to ${bridge}: ${((err as { stderr?: string }).stderr ?? (err as Error).message).trim()}`);
  }
}
