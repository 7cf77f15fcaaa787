// Which CertificateSigningRequests are approved without a person, as Kubernetes' csrapproving
// controller with kubeadm's bindings decides: a kubelet client certificate asked for by a
// bootstrap token (system:bootstrappers, "nodeclient"), or renewed by the node it names
// (user system:node:NAME in system:nodes asking for CN system:node:NAME, "selfnodeclient").
// Anything else stays pending for an administrator; nothing is denied automatically.
import { BOOTSTRAPPERS_GROUP } from '../../../api/bootstrap-token.js';
import { KUBELET_CLIENT_SIGNER, NODES_GROUP } from '../../../api/certificate-signing-requests.js';
import { parseCertificateRequest } from '../../../api/pki/certificate-request.js';
import type { KubeObject } from '../../../api/types.js';
import { kubeletClientCsrProblems } from './kubelet-client-csr.js';

export type ApprovalDecision = { approve: true; reason: 'AutoApproved'; message: string } | { approve: false; why: string };

export const AUTO_APPROVE_MESSAGE = 'Auto approving kubelet client certificate after SubjectAccessReview.';

export function autoApproval(csr: KubeObject): ApprovalDecision {
  const spec = csr.spec ?? {};
  if (spec.signerName !== KUBELET_CLIENT_SIGNER) return { approve: false, why: `signer ${spec.signerName} is not auto-approved` };
  let req;
  try {
    req = parseCertificateRequest(Buffer.from(spec.request ?? '', 'base64').toString('utf8'));
  } catch (err) {
    return { approve: false, why: (err as Error).message };
  }
  const problems = kubeletClientCsrProblems(req, spec.usages ?? []);
  if (problems.length) return { approve: false, why: problems.join('; ') };
  const groups: string[] = spec.groups ?? [];
  if (groups.includes(BOOTSTRAPPERS_GROUP)) return { approve: true, reason: 'AutoApproved', message: AUTO_APPROVE_MESSAGE };
  if (groups.includes(NODES_GROUP) && spec.username === req.commonName) return { approve: true, reason: 'AutoApproved', message: AUTO_APPROVE_MESSAGE };
  return { approve: false, why: `${spec.username} may not ask for a certificate for ${req.commonName}` };
}
