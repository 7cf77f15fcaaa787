// The addresses of a local cluster's network, shared by the API server (service ranges), the CLI
// (`cluster up` makes the pod network, `cluster down` removes it) and the node agents (pods, the
// service proxy, cluster DNS, the ingress proxy). Kubernetes' usual defaults, so manifests and
// habits carry over: pods in 10.244.0.0/16, services in 10.96.0.0/12, names under cluster.local.

/** The Docker bridge network every pod of the machine is on (its Linux bridge has the same name). */
export const POD_NETWORK = 'kctl0';
export const POD_SUBNET = '10.244.0.0/16';
/** The bridge's own address on the host: pods' gateway, and where cluster DNS answers them. */
export const POD_GATEWAY = '10.244.0.1';
/** The API server's --service-cluster-ip-range default. */
export const SERVICE_CIDR = '10.96.0.0/12';
/** The first address of the default service range: the `default/kubernetes` Service's. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** The kubelet's --cluster-domain default. */
export const CLUSTER_DOMAIN = 'cluster.local';
/** Where the cluster DNS server listens for pods: the bridge gateway, port 53 (UDP and TCP). */
export const CLUSTER_DNS = { address: POD_GATEWAY, port: 53 };
/**
 * The Service pods' resolv.conf names (the kubelet's --cluster-dns): the tenth address of the
 * service range, as kubeadm places kube-dns. Each machine's proxy sends it to its own DNS server.
 */
export const CLUSTER_DNS_SERVICE = { namespace: 'kube-system', name: 'kube-dns', ip: '10.96.0.10' };
/** Kubernetes' --service-node-port-range default. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };
/**
 * Addresses handed to LoadBalancer Services (status.loadBalancer.ingress): loopback addresses,
 * which answer on this machine only, one per Service so two of them can use the same port.
 */
export const LOAD_BALANCER_CIDR = '127.240.0.0/16';
/** On every Docker object a cluster makes; its value is the cluster's API server URL. */
export const CLUSTER_LABEL = 'kctl.cluster';

/** How pods on different machines reach each other (Flannel's backends): routes on one L2 network, or VXLAN. */
export const POD_NETWORK_MODES = ['host-gw', 'vxlan'] as const;
export type PodNetworkMode = (typeof POD_NETWORK_MODES)[number];
