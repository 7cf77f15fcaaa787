// What a kubelet's client-certificate request must look like (Kubernetes' ValidateKubeletClientCSR):
// CN system:node:<name>, O exactly system:nodes, no subject alternative names, and the usages a
// client certificate needs. Both the approver and the signer hold requests to it.
import { NODE_USER_PREFIX, NODES_GROUP } from '../../../api/certificate-signing-requests.js';
import type { ParsedCertificateRequest } from '../../../api/pki/certificate-request.js';

const REQUIRED_USAGES = ['digital signature', 'client auth'];
// RSA keys also ask for key encipherment; it is allowed, not required.
const ALLOWED_USAGES = new Set([...REQUIRED_USAGES, 'key encipherment']);

/** Why the request is not a kubelet client request; empty when it is one. */
export function kubeletClientCsrProblems(req: ParsedCertificateRequest, usages: string[]): string[] {
  const problems: string[] = [];
  if (req.organizations.length !== 1 || req.organizations[0] !== NODES_GROUP) problems.push(`subject organization is not ${NODES_GROUP}`);
  if (req.dnsNames.length) problems.push('dnsNames are not allowed');
  if (req.emails.length) problems.push('emailAddresses are not allowed');
  if (req.ips.length) problems.push('ipAddresses are not allowed');
  if (req.uris.length) problems.push('uris are not allowed');
  if (!req.commonName.startsWith(NODE_USER_PREFIX) || req.commonName === NODE_USER_PREFIX) problems.push(`subject common name does not begin with ${NODE_USER_PREFIX}`);
  if (!REQUIRED_USAGES.every((u) => usages.includes(u)) || !usages.every((u) => ALLOWED_USAGES.has(u))) {
    problems.push(`usages did not match [${REQUIRED_USAGES.join(' ')}] (key encipherment is also allowed)`);
  }
  return problems;
}
