// The LAN's links on this computer: the bridge, each machine's namespace and veth (the machine's
// end named eth0 inside it, with its address and a default route to this computer), and removing
// them again. Removing is idempotent: what is already gone is no error.
import { existsSync, readdirSync } from 'node:fs';
import { attempt, run } from './host-command.js';
import { HOST_LINK_PREFIX, LAN_BRIDGE, LAN_GATEWAY, LAN_PREFIX_LENGTH, NAMESPACE_PREFIX, lanForwardRule } from './lan.js';

async function linkExists(name: string): Promise<boolean> {
  return name !== '' && existsSync(`/sys/class/net/${name}`);
}

export async function createLan(): Promise<void> {
  if (!(await linkExists(LAN_BRIDGE))) await run('ip', ['link', 'add', LAN_BRIDGE, 'type', 'bridge']);
  await run('ip', ['addr', 'replace', `${LAN_GATEWAY}/${LAN_PREFIX_LENGTH}`, 'dev', LAN_BRIDGE]);
  await run('ip', ['link', 'set', LAN_BRIDGE, 'up']);
  if (!(await attempt('iptables', ['-w', '5', '-C', ...lanForwardRule()]))) await run('iptables', ['-w', '5', '-I', ...lanForwardRule().slice(0, 1), '1', ...lanForwardRule().slice(1)]);
}

export async function removeLan(): Promise<void> {
  while (await attempt('iptables', ['-w', '5', '-D', ...lanForwardRule()]));
  if (await linkExists(LAN_BRIDGE)) await run('ip', ['link', 'del', LAN_BRIDGE]);
}

export interface MachineLink {
  namespace: string;
  hostLink: string;
  address: string;
}

/** The namespace with lo up and eth0 on the LAN; made again whole if a half-made one is found. */
export async function createMachineLink(m: MachineLink): Promise<void> {
  await removeMachineLink(m);
  await run('ip', ['netns', 'add', m.namespace]);
  const peer = `${m.hostLink}p`;
  await run('ip', ['link', 'add', m.hostLink, 'type', 'veth', 'peer', 'name', peer]);
  await run('ip', ['link', 'set', m.hostLink, 'master', LAN_BRIDGE, 'up']);
  await run('ip', ['link', 'set', peer, 'netns', m.namespace]);
  const ns = ['-n', m.namespace];
  await run('ip', [...ns, 'link', 'set', peer, 'name', 'eth0']);
  await run('ip', [...ns, 'addr', 'add', `${m.address}/${LAN_PREFIX_LENGTH}`, 'dev', 'eth0']);
  await run('ip', [...ns, 'link', 'set', 'lo', 'up']);
  await run('ip', [...ns, 'link', 'set', 'eth0', 'up']);
  await run('ip', [...ns, 'route', 'add', 'default', 'via', LAN_GATEWAY]);
}

/** Deleting the namespace takes its eth0, and so the veth, with it; the host end goes too if it outlived it. */
export async function removeMachineLink(m: Pick<MachineLink, 'namespace' | 'hostLink'>): Promise<void> {
  await removeNamespace(m.namespace);
  await removeHostLink(m.hostLink);
}

export async function removeNamespace(namespace: string): Promise<void> {
  if (existsSync(`/var/run/netns/${namespace}`)) await attempt('ip', ['netns', 'del', namespace]);
}

export async function removeHostLink(link: string): Promise<void> {
  if (await linkExists(link)) await attempt('ip', ['link', 'del', link]);
}

/** Machines' namespaces and host links present now, found by their names' prefixes. */
export function leftoverLinks(): { namespaces: string[]; hostLinks: string[] } {
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  return {
    namespaces: list('/var/run/netns').filter((n) => n.startsWith(NAMESPACE_PREFIX)),
    hostLinks: list('/sys/class/net').filter((n) => n.startsWith(HOST_LINK_PREFIX)),
  };
}
