// CertificateSigningRequests (certificates.k8s.io/v1), as Kubernetes' registry keeps them: the
// spec is fixed at create (the requester's identity is stamped in by the API server, see
// csr-requester.ts), the PEM request must parse and carry a valid self-signature, /approval only
// adds Approved or Denied conditions, /status only the certificate and other conditions, and an
// issued certificate never changes.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { KEY_USAGES } from '../../../api/certificate-signing-requests.js';
import { parseCertificateRequest } from '../../../api/pki/certificate-request.js';
import type { Strategy } from './strategy.js';
import { duplicate, forbidden, invalid, notSupported, required } from './field-errors.js';

const APPROVAL_TYPES = new Set(['Approved', 'Denied']);
const CONDITION_TYPES = ['Approved', 'Denied', 'Failed'];
const MIN_EXPIRATION_SECONDS = 600;
const SIGNER_NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/[A-Za-z0-9._~%!$&'()*+,;=:@-]+(\/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*$/;

type Condition = { type: string; status: string; [k: string]: unknown };

function conditions(obj: KubeObject | undefined): Condition[] {
  return obj?.status?.conditions ?? [];
}

function validateSpec(spec: any): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!spec.request) causes.push(required('spec.request'));
  else {
    try {
      parseCertificateRequest(Buffer.from(spec.request, 'base64').toString('utf8'));
    } catch (err) {
      causes.push(invalid('spec.request', '<certificate request>', (err as Error).message));
    }
  }
  if (!spec.signerName) causes.push(required('spec.signerName'));
  else if (!SIGNER_NAME_RE.test(spec.signerName)) {
    causes.push(invalid('spec.signerName', spec.signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
  }
  const usages: string[] = spec.usages ?? [];
  if (usages.length === 0) causes.push(required('spec.usages'));
  usages.forEach((u, i) => {
    if (!KEY_USAGES.includes(u)) causes.push(notSupported(`spec.usages[${i}]`, u, KEY_USAGES));
    else if (usages.indexOf(u) !== i) causes.push(duplicate(`spec.usages[${i}]`, u));
  });
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds < MIN_EXPIRATION_SECONDS) {
    causes.push(invalid('spec.expirationSeconds', spec.expirationSeconds, `may not specify a duration less than ${MIN_EXPIRATION_SECONDS} seconds (10 minutes)`));
  }
  return causes;
}

function validateStatus(csr: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  conditions(csr).forEach((c, i) => {
    const at = `status.conditions[${i}]`;
    if (!c.type) causes.push(required(`${at}.type`));
    else if (CONDITION_TYPES.includes(c.type)) {
      if (seen.has(c.type)) causes.push(duplicate(`${at}.type`, c.type));
      if (c.status !== 'True') causes.push(notSupported(`${at}.status`, c.status, ['True']));
    }
    seen.add(c.type);
  });
  if (seen.has('Approved') && seen.has('Denied')) causes.push(invalid('status.conditions', 'Approved', 'Approved and Denied conditions are mutually exclusive'));
  for (const type of APPROVAL_TYPES) {
    if (conditions(old).some((c) => c.type === type) && !seen.has(type)) {
      causes.push(forbidden('status.conditions', `updates may not remove a condition of type "${type}"`));
    }
  }
  const cert: string | undefined = csr.status?.certificate;
  if (cert !== undefined && cert !== '') {
    if (!/-----BEGIN CERTIFICATE-----/.test(Buffer.from(cert, 'base64').toString('utf8'))) {
      causes.push(invalid('status.certificate', '<certificate data>', 'must contain at least one CERTIFICATE PEM block'));
    }
  }
  const oldCert: string | undefined = old?.status?.certificate;
  if (oldCert && cert !== oldCert) causes.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  return causes;
}

export const certificateSigningRequestStrategy: Strategy = {
  prepareForUpdate(csr, old) {
    // The spec is the requester's: no update changes it.
    csr.spec = old.spec;
  },
  applyDefaults(csr) {
    csr.spec ??= {};
  },
  validate(csr, old) {
    return [...(old ? [] : validateSpec(csr.spec ?? {})), ...validateStatus(csr, old)];
  },
  mergeSubresource(subresource, sent, old) {
    const merged = structuredClone(old);
    const isApproval = (c: Condition) => APPROVAL_TYPES.has(c.type);
    if (subresource === 'approval') {
      // Only the approval conditions come from the request; the certificate and others stay.
      merged.status = { ...(old.status ?? {}), conditions: [...conditions(sent).filter(isApproval), ...conditions(old).filter((c) => !isApproval(c))] };
    } else if (subresource === 'status') {
      merged.status = { ...(sent.status ?? {}), conditions: [...conditions(old).filter(isApproval), ...conditions(sent).filter((c) => !isApproval(c))] };
    } else return undefined;
    if (merged.status.conditions.length === 0) delete merged.status.conditions;
    return merged;
  },
};
