// The pieces of kubeadm's join flow and the kubelet's TLS bootstrap that are pure logic: the
// cluster-info JWS, the CA pin, CSR parsing and validation, the approval policy, the signer's
// validity and the rotation deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeDetachedJWS, verifyDetachedJWS } from '../../src/api/pki/jws.js';
import { caCertHash, caMatchesHash, parseCAHash } from '../../src/api/pki/ca-hash.js';
import { createCertificateAuthority } from '../../src/api/pki/x509.js';
import { createCertificateRequest, parseCertificateRequest } from '../../src/api/pki/certificate-request.js';
import { generateKeyPairSync } from 'node:crypto';
import { certificateInfo } from '../../src/api/pki/certificate-info.js';
import { autoApproval } from '../../src/apiserver/controllers/certificates/approval-policy.js';
import { kubeletClientCsrProblems } from '../../src/apiserver/controllers/certificates/kubelet-client-csr.js';
import { certificateValidity } from '../../src/apiserver/controllers/certificates/signing-policy.js';
import { CsrSigner } from '../../src/apiserver/controllers/certificates/csr-signer.js';
import { rotationDeadline } from '../../src/nodeagent/credentials/rotation-deadline.js';
import { signedClusterInfoData } from '../../src/apiserver/controllers/bootstrap/cluster-info-signatures.js';
import { bootstrapTokenSecret } from '../../src/api/bootstrap-token.js';
import { clusterInfoConfigMap, clusterInfoKubeconfig } from '../../src/api/cluster-info.js';
import { findByKind } from '../../src/api/resources.js';
import { ApiError } from '../../src/api/errors.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import type { KubeObject } from '../../src/api/types.js';

const CSRS = findByKind('CertificateSigningRequest')!;
const SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';

async function nodeCsrPem(cn = 'system:node:n1', o = ['system:nodes']): Promise<string> {
  return createCertificateRequest(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey, cn, o);
}

function csrObject(pem: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: 'csr-1' },
    spec: { request: Buffer.from(pem).toString('base64'), signerName: SIGNER, usages: ['digital signature', 'client auth'], ...extra },
  };
}

test('the detached JWS verifies for its token only, and over the signed content only', () => {
  const jws = computeDetachedJWS('kubeconfig text', 'abcdef', '0123456789abcdef');
  const [header, payload, signature] = jws.split('.');
  assert.equal(payload, '', 'detached: no payload');
  assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), { alg: 'HS256', kid: 'abcdef' });
  assert.match(signature, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(verifyDetachedJWS(jws, 'kubeconfig text', 'abcdef', '0123456789abcdef'), true);
  assert.equal(verifyDetachedJWS(jws, 'kubeconfig text!', 'abcdef', '0123456789abcdef'), false, 'other content');
  assert.equal(verifyDetachedJWS(jws, 'kubeconfig text', 'abcdef', '0123456789abcdeX'), false, 'other secret');
  assert.equal(verifyDetachedJWS(jws, 'kubeconfig text', 'abcdeg', '0123456789abcdef'), false, 'kid names another token');
  assert.equal(verifyDetachedJWS('garbage', 'kubeconfig text', 'abcdef', '0123456789abcdef'), false);
});

test('the CA hash is sha256 of the SubjectPublicKeyInfo, as kubeadm and openssl compute it', async () => {
  const ca = await createCertificateAuthority('kubernetes', 1);
  const dir = mkdtempSync(join(tmpdir(), 'kctl-ca-'));
  try {
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    const spkiDer = execFileSync('openssl', ['x509', '-pubkey', '-noout', '-in', join(dir, 'ca.crt')]);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: spkiDer });
    const expected = execFileSync('sha256sum', { input: der }).toString().split(' ')[0];
    assert.equal(caCertHash(ca.certPem), `sha256:${expected}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(caMatchesHash(ca.certPem, caCertHash(ca.certPem)), true);
  const other = await createCertificateAuthority('kubernetes', 1);
  assert.equal(caMatchesHash(other.certPem, caCertHash(ca.certPem)), false);
  assert.equal(parseCAHash(` SHA256:${'A'.repeat(64)} `), `sha256:${'a'.repeat(64)}`);
  assert.throws(() => parseCAHash('a'.repeat(64)), /no format prefix/);
  assert.throws(() => parseCAHash('sha256:1234'), /not of the form sha256:<64 hex digits>/);
});

test('a CSR is parsed with its subject, and refused when it is not a signed PEM request', async () => {
  const pem = await nodeCsrPem();
  const parsed = parseCertificateRequest(pem);
  assert.equal(parsed.commonName, 'system:node:n1');
  assert.deepEqual(parsed.organizations, ['system:nodes']);
  assert.match(execFileSync('openssl', ['req', '-noout', '-verify', '-subject'], { input: pem, stdio: ['pipe', 'pipe', 'pipe'] }).toString(), /subject=CN ?= ?system:node:n1, O ?= ?system:nodes/);
  assert.throws(() => parseCertificateRequest('hello'), /PEM block type must be CERTIFICATE REQUEST/);
  assert.throws(() => parseCertificateRequest(pem.replace(/REQUEST/g, 'REQUESTX')), /PEM block type must be CERTIFICATE REQUEST, got CERTIFICATE REQUESTX/);
  // Another request's signature on this one's body: the self-signature no longer verifies.
  const other = await nodeCsrPem();
  const body = (p: string) => p.split('\n').slice(1, -2).join('');
  const der = Buffer.from(body(pem), 'base64');
  const otherDer = Buffer.from(body(other), 'base64');
  const forged = Buffer.concat([der.subarray(0, der.length - 72), otherDer.subarray(otherDer.length - 72)]);
  if (!forged.equals(der)) {
    assert.throws(
      () => parseCertificateRequest(`-----BEGIN CERTIFICATE REQUEST-----\n${forged.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`),
      /signature does not verify|cannot parse/,
    );
  }
});

test('the API validates CSRs: the request, signer, usages, expiration; spec fixed; approval only through /approval', async () => {
  const { registry, done } = inProcessRegistry();
  try {
    const invalid = (obj: KubeObject) => {
      try {
        registry.create(CSRS, undefined, obj);
      } catch (err) {
        assert.ok(err instanceof ApiError);
        assert.equal(err.code, 422);
        return err.message;
      }
      assert.fail('created an invalid CSR');
    };
    const pem = await nodeCsrPem();
    assert.match(invalid(csrObject('not a pem')), /spec.request: Invalid value: "<certificate request>": PEM block type must be CERTIFICATE REQUEST/);
    assert.match(invalid(csrObject(pem, { signerName: 'nope' })), /spec.signerName: Invalid value: "nope": must be a fully qualified domain and path/);
    assert.match(invalid(csrObject(pem, { usages: ['client auth', 'flying'] })), /spec.usages\[1\]: Unsupported value: "flying"/);
    assert.match(invalid(csrObject(pem, { expirationSeconds: 599 })), /spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds/);
    const created = registry.create(CSRS, undefined, { ...csrObject(pem), status: { certificate: 'eA==' } });
    assert.equal(created.status, undefined, 'status is not set on create');

    const approve = (csr: KubeObject, type: string) => ({ ...csr, status: { conditions: [{ type, status: 'True', reason: 'Test' }] } });
    const viaStatus = registry.update(CSRS, undefined, 'csr-1', approve(created, 'Approved'), { subresource: 'status' });
    assert.equal(viaStatus.status?.conditions, undefined, '/status cannot approve');
    const approved = registry.update(CSRS, undefined, 'csr-1', approve(viaStatus, 'Approved'), { subresource: 'approval' });
    assert.equal(approved.status.conditions[0].type, 'Approved');
    assert.throws(() => registry.update(CSRS, undefined, 'csr-1', approve(approved, 'Denied'), { subresource: 'approval' }), /updates may not remove a condition of type "Approved"/);
    const respec = registry.update(CSRS, undefined, 'csr-1', { ...approved, spec: { ...approved.spec, signerName: 'example.com/other' } });
    assert.equal(respec.spec.signerName, SIGNER, 'the spec never changes');
    const cert = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
    const issued = registry.update(CSRS, undefined, 'csr-1', { ...approved, status: { ...approved.status, certificate: cert } }, { subresource: 'status' });
    assert.equal(issued.status.certificate, cert);
    assert.equal(issued.status.conditions[0].type, 'Approved', '/status keeps the approval');
    assert.throws(
      () => registry.update(CSRS, undefined, 'csr-1', { ...issued, status: { ...issued.status, certificate: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n').toString('base64') } }, { subresource: 'status' }),
      /updates may not modify existing certificate content/,
    );
  } finally {
    done();
  }
});

test('kubelet client CSRs: CN system:node:*, O system:nodes only, no SANs, client usages', async () => {
  const ok = parseCertificateRequest(await nodeCsrPem());
  assert.deepEqual(kubeletClientCsrProblems(ok, ['digital signature', 'client auth']), []);
  assert.deepEqual(kubeletClientCsrProblems(ok, ['digital signature', 'key encipherment', 'client auth']), []);
  assert.match(kubeletClientCsrProblems(ok, ['digital signature', 'server auth']).join(), /usages did not match/);
  assert.deepEqual(kubeletClientCsrProblems(parseCertificateRequest(await nodeCsrPem('admin', ['system:nodes'])), ['digital signature', 'client auth']), [
    'subject common name does not begin with system:node:',
  ]);
  assert.deepEqual(kubeletClientCsrProblems(parseCertificateRequest(await nodeCsrPem('system:node:n1', ['system:masters'])), ['digital signature', 'client auth']), [
    'subject organization is not system:nodes',
  ]);
  assert.deepEqual(kubeletClientCsrProblems(parseCertificateRequest(await nodeCsrPem('system:node:n1', ['system:nodes', 'system:masters'])), ['digital signature', 'client auth']), [
    'subject organization is not system:nodes',
  ]);
});

test('auto-approval: a bootstrap token for any node, a node for itself only, nobody for anything else', async () => {
  const pem = await nodeCsrPem('system:node:n1');
  const by = (username: string, groups: string[], extra: Record<string, unknown> = {}) => csrObject(pem, { username, groups, ...extra });
  assert.equal(autoApproval(by('system:bootstrap:abcdef', ['system:bootstrappers', 'system:authenticated'])).approve, true);
  assert.equal(autoApproval(by('system:node:n1', ['system:nodes', 'system:authenticated'])).approve, true, 'renewal by the node itself');
  assert.equal(autoApproval(by('system:node:n2', ['system:nodes', 'system:authenticated'])).approve, false, 'another node');
  assert.equal(autoApproval(by('jane', ['system:authenticated'])).approve, false);
  assert.equal(autoApproval(by('system:bootstrap:abcdef', ['system:bootstrappers'], { signerName: 'kubernetes.io/kube-apiserver-client' })).approve, false);
  const masters = csrObject(await nodeCsrPem('system:node:n1', ['system:masters']), { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] });
  const decision = autoApproval(masters);
  assert.equal(decision.approve, false);
  assert.match((decision as { why: string }).why, /subject organization is not system:nodes/);
});

test('the signer issues for the asked duration capped by its longest; short ones start now, long ones 5 minutes early', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const year = 365 * 86_400_000;
  assert.deepEqual(certificateValidity(now, undefined, year), { notBefore: new Date(now.getTime() - 300_000), notAfter: new Date(now.getTime() + year) });
  assert.deepEqual(certificateValidity(now, 3600, year), { notBefore: now, notAfter: new Date(now.getTime() + 3_600_000) });
  assert.deepEqual(certificateValidity(now, 3600, 20_000), { notBefore: now, notAfter: new Date(now.getTime() + 20_000) });
});

test('the signer signs an approved kubelet CSR with the CA and fails a bad one, through /status', async () => {
  const { registry, client, done } = inProcessRegistry();
  try {
    const ca = await createCertificateAuthority('kubernetes', 10);
    const store = new Map<string, KubeObject>();
    const informer = { get: (k: string) => store.get(k), addHandlers() {} } as any;
    const signer = new CsrSigner(client, informer, { ca, maxDurationMs: 60_000 }, () => {});
    const approve = (name: string, pem: string) => {
      registry.create(CSRS, undefined, { ...csrObject(pem), metadata: { name } });
      const c = registry.get(CSRS, undefined, name);
      store.set(name, registry.update(CSRS, undefined, name, { ...c, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Test' }] } }, { subresource: 'approval' }));
    };
    approve('good', await nodeCsrPem('system:node:n1'));
    await signer.sync('good');
    const good = registry.get(CSRS, undefined, 'good');
    const pem = Buffer.from(good.status.certificate, 'base64').toString();
    const info = certificateInfo(pem);
    assert.equal(info.commonName, 'system:node:n1');
    assert.deepEqual(info.organizations, ['system:nodes']);
    assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), 60_000, 'capped at the longest duration');
    const dir = mkdtempSync(join(tmpdir(), 'kctl-sig-'));
    try {
      writeFileSync(join(dir, 'ca.crt'), ca.certPem);
      writeFileSync(join(dir, 'c.crt'), pem);
      assert.match(execFileSync('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', join(dir, 'ca.crt'), join(dir, 'c.crt')]).toString(), /OK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    approve('bad', await nodeCsrPem('system:node:n1', ['system:masters']));
    await signer.sync('bad');
    const bad = registry.get(CSRS, undefined, 'bad');
    assert.equal(bad.status.certificate, undefined);
    const failed = bad.status.conditions.find((c: { type: string }) => c.type === 'Failed');
    assert.equal(failed.reason, 'SignerValidationFailure');
    assert.match(failed.message, /subject organization is not system:nodes/);
  } finally {
    done();
  }
});

test('rotation happens between 70% and 90% of the lifetime', () => {
  const from = new Date('2026-01-01T00:00:00Z');
  const to = new Date('2026-01-01T00:01:40Z');
  assert.equal(rotationDeadline(from, to, () => 0).getTime(), from.getTime() + 70_000);
  assert.equal(rotationDeadline(from, to, () => 1).getTime(), from.getTime() + 90_000);
});

test('cluster-info carries one signature per valid signing token, and drops the others', () => {
  const kubeconfig = clusterInfoKubeconfig('https://10.0.0.1:6443', '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
  const now = new Date('2026-01-01T00:00:00Z');
  const signing = bootstrapTokenSecret({ id: 'aaaaaa', secret: '0123456789abcdef' }, { usages: ['authentication', 'signing'] });
  const authOnly = bootstrapTokenSecret({ id: 'bbbbbb', secret: '0123456789abcdef' }, { usages: ['authentication'] });
  const expired = bootstrapTokenSecret({ id: 'cccccc', secret: '0123456789abcdef' }, { usages: ['signing'], expires: new Date('2025-12-31T00:00:00Z') });
  const cm = clusterInfoConfigMap(kubeconfig);
  cm.data!['jws-kubeconfig-dddddd'] = 'stale..sig';
  const data = signedClusterInfoData(cm, [signing, authOnly, expired], now)!;
  assert.deepEqual(Object.keys(data).sort(), ['jws-kubeconfig-aaaaaa', 'kubeconfig']);
  assert.equal(verifyDetachedJWS(data['jws-kubeconfig-aaaaaa'], kubeconfig, 'aaaaaa', '0123456789abcdef'), true);
  assert.equal(signedClusterInfoData({ ...cm, data }, [signing], now), undefined, 'nothing to change');
  assert.equal(signedClusterInfoData(clusterInfoConfigMap(kubeconfig), [], now), undefined);
});
