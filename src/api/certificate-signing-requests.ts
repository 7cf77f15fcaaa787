// certificates.k8s.io/v1 CertificateSigningRequests as both sides see them: the signer a node
// agent's client certificate comes from, the identity it asks for, and reading a CSR's outcome.
import type { KubeObject } from './types.js';

export const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

/** A node's user name is `system:node:<node name>`; its group `system:nodes`. */
export const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';

/** The usages a kubelet asks for on its client certificate, as the kubelet sends them. */
export const KUBELET_CLIENT_USAGES = ['digital signature', 'client auth'];

/** The key usages Kubernetes accepts in spec.usages, in its order. */
export const KEY_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment',
  'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing',
  'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing',
  'microsoft sgc', 'netscape sgc',
];

export type CsrConditionType = 'Approved' | 'Denied' | 'Failed';

export function nodeUserName(node: string): string {
  return `${NODE_USER_PREFIX}${node}`;
}

export function csrCondition(csr: KubeObject, type: CsrConditionType): { type: string; status: string; reason?: string; message?: string } | undefined {
  return (csr.status?.conditions ?? []).find((c: { type: string; status: string }) => c.type === type && c.status === 'True');
}

/** The issued certificate (PEM), once there is one. */
export function issuedCertificate(csr: KubeObject): string | undefined {
  const cert = csr.status?.certificate;
  return cert ? Buffer.from(cert, 'base64').toString('utf8') : undefined;
}
