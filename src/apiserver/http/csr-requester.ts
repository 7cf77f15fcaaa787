// A CertificateSigningRequest records who asked for it (spec.username, uid, groups, extra), and
// only the API server may say so: whatever the request sent is replaced by the authenticated user,
// which is what the approver decides on.
import type { KubeObject } from '../../api/types.js';
import type { UserInfo } from '../authorization/user.js';

export function stampRequester(csr: KubeObject, user: UserInfo): void {
  if (!csr || typeof csr !== 'object' || !csr.spec || typeof csr.spec !== 'object') return;
  delete csr.spec.uid;
  delete csr.spec.extra;
  csr.spec.username = user.name;
  csr.spec.groups = [...user.groups];
}
