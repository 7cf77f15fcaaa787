// The LAN of the simulated machines: one Linux bridge on this computer, in a private range the
// project keeps for itself, with this computer (the API server) at the first address and machine
// i at .10+i. Every name kctl gives a machine's objects starts with a prefix of its own, so `cluster
// down` finds what a crashed `cluster up` left behind by name alone.
export const LAN_BRIDGE = 'kctl-lan';
export const LAN_PREFIX_LENGTH = 24;
export const LAN_NETWORK = '10.250.0.0';
/** This computer on the LAN: the API server listens here. */
export const LAN_GATEWAY = '10.250.0.1';
/** Network namespaces of machines: `kctl-m-<node name>`. */
export const NAMESPACE_PREFIX = 'kctl-m-';
/** The host ends of the machines' veths: `kctlv-<i>`. */
export const HOST_LINK_PREFIX = 'kctlv-';
/** Per-machine engine sockets, pid files and exec roots (short paths: unix socket paths are short). */
export const RUN_DIR = '/run/kctl-machines';
/** Comment on the one host rule the LAN needs (see lanForwardRule). */
export const LAN_RULE_COMMENT = 'kctl machines LAN';
export const MAX_MACHINES = 200;

export function machineAddress(index: number): string {
  if (!Number.isInteger(index) || index < 1 || index > MAX_MACHINES) throw new Error(`machine index ${index} is out of the LAN's range (1-${MAX_MACHINES})`);
  return `10.250.0.${10 + index}`;
}

export function machineNamespace(name: string): string {
  return `${NAMESPACE_PREFIX}${name}`;
}

export function hostLink(index: number): string {
  return `${HOST_LINK_PREFIX}${index}`;
}

/**
 * With br_netfilter loaded (the service proxy loads it), bridged frames pass the host's FORWARD
 * chain, whose policy Docker sets to DROP: machine-to-machine traffic on the LAN would be dropped.
 */
export function lanForwardRule(): string[] {
  return ['FORWARD', '-i', LAN_BRIDGE, '-o', LAN_BRIDGE, '-m', 'comment', '--comment', LAN_RULE_COMMENT, '-j', 'ACCEPT'];
}
