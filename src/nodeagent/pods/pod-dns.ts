// Pure: a pod's resolv.conf as the kubelet forms it from dnsPolicy and dnsConfig over the node's
// own resolv.conf. The agent writes it into the pod's directory and bind-mounts it on every
// container's /etc/resolv.conf, as containerd's CRI does: on a user-defined Docker network the
// engine would otherwise give containers its embedded DNS (127.0.0.11, ndots:0).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { appendOptions, type ResolvConf } from '../dns/resolv-conf.js';

/** The kubelet's --cluster-dns and --cluster-domain. */
export interface ClusterDnsSettings {
  clusterDNS: string[];
  clusterDomain: string;
}

/** Kubernetes' validation.MaxDNSNameservers, MaxDNSSearchPaths and MaxDNSSearchListChars. */
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_CHARS = 2048;
/** The kubelet's default options for cluster DNS. */
const CLUSTER_OPTIONS = ['ndots:5'];

export interface PodDns {
  conf: ResolvConf;
  /** The kubelet's DNSConfigForming warnings: limits exceeded, cluster DNS missing. */
  warnings: string[];
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** Which configuration the policy asks for; ClusterFirst on the host network is Default. */
function policyKind(pod: Pod): 'cluster' | 'host' | 'none' {
  switch (pod.spec?.dnsPolicy) {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    default:
      return pod.spec?.hostNetwork ? 'host' : 'cluster';
  }
}

export function podDns(pod: Pod, host: ResolvConf, settings: ClusterDnsSettings): PodDns {
  const warnings: string[] = [];
  let kind = policyKind(pod);
  if (kind === 'cluster' && settings.clusterDNS.length === 0) {
    warnings.push(`pod: "${pod.metadata?.name}_${pod.metadata?.namespace ?? 'default'}(${pod.metadata?.uid})". ClusterDNS is not set; falling back to "Default" policy.`);
    kind = 'host';
  }
  let conf: ResolvConf = { nameservers: [], searches: [], options: [] };
  if (kind === 'host') conf = { nameservers: [...host.nameservers], searches: [...host.searches], options: [...host.options] };
  else if (kind === 'cluster') {
    const ns = pod.metadata?.namespace ?? 'default';
    const domain = settings.clusterDomain;
    conf = {
      nameservers: [...settings.clusterDNS],
      searches: unique(domain ? [`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches] : host.searches),
      options: [...CLUSTER_OPTIONS],
    };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    conf.nameservers = unique([...conf.nameservers, ...(extra.nameservers ?? [])]);
    conf.searches = unique([...conf.searches, ...(extra.searches ?? [])]);
    conf.options = appendOptions(conf.options, (extra.options ?? []).map((o) => (o.value ? `${o.name}:${o.value}` : (o.name ?? ''))));
  }
  return { conf: fitLimits(conf, warnings), warnings };
}

/** As the kubelet: what exceeds the resolver's limits is dropped, with a warning. */
function fitLimits(conf: ResolvConf, warnings: string[]): ResolvConf {
  if (conf.nameservers.length > MAX_NAMESERVERS) {
    conf.nameservers = conf.nameservers.slice(0, MAX_NAMESERVERS);
    warnings.push(`Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${conf.nameservers.join(' ')}`);
  }
  let searches = conf.searches;
  if (searches.length > MAX_SEARCH_PATHS) searches = searches.slice(0, MAX_SEARCH_PATHS);
  while (searches.join(' ').length > MAX_SEARCH_CHARS) searches = searches.slice(0, -1);
  if (searches.length < conf.searches.length) {
    conf.searches = searches;
    warnings.push(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`);
  }
  return conf;
}
