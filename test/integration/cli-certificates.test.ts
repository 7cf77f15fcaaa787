// bin/kctl's first line starts Node without NODE_EXTRA_CA_CERTS and on OpenSSL's store with no
// certificate file, so that no command parses certificate bundles it does not use. That must not
// change whom kctl trusts, nor what the programs it starts see: a kubeconfig's authority is trusted
// alone; without one, Node's roots and NODE_EXTRA_CA_CERTS are; the two variables reach an editor
// as the user set them. kctl runs here as a user runs it: the script itself, through its first line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, TestCluster, run } from '../helpers/test-cluster.js';

const KCTL = join(REPO, 'bin/kctl');
const c = new TestCluster();
const scratch = mkdtempSync(join(tmpdir(), 'kctl-certs-'));
const withoutAuthority = join(scratch, 'kubeconfig-without-authority');
const clusterCa = join(scratch, 'ca.crt');

before(async () => {
  await c.up();
  await c.kctl(['create', 'configmap', 'trusted']);
  const config = JSON.parse(readFileSync(join(c.home, 'kubeconfig'), 'utf8'));
  delete config.clusters[0].cluster['certificate-authority-data'];
  writeFileSync(withoutAuthority, JSON.stringify(config));
  writeFileSync(clusterCa, c.ca);
});

after(async () => {
  await c.down();
  rmSync(scratch, { recursive: true, force: true });
});

/** kctl with these changes to the cluster's environment (undefined unsets a variable). */
function kctl(args: string[], changes: Record<string, string | undefined>) {
  const env = { ...c.env };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return run(KCTL, args, env);
}

test("the kubeconfig's authority is trusted, whatever the certificate variables say", async () => {
  for (const changes of [
    { NODE_EXTRA_CA_CERTS: undefined, SSL_CERT_FILE: undefined },
    { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt' },
    { NODE_EXTRA_CA_CERTS: join(scratch, 'missing.pem'), SSL_CERT_FILE: join(scratch, 'missing.pem') },
  ]) {
    const r = await kctl(['get', 'configmap', 'trusted', '-o', 'name'], changes);
    assert.deepEqual(r, { code: 0, stdout: 'configmap/trusted\n', stderr: '' }, JSON.stringify(changes));
  }
});

test('without an authority in the kubeconfig, the cluster is trusted only through NODE_EXTRA_CA_CERTS, as Node trusts it', async () => {
  const refused = await kctl(['get', 'configmap', 'trusted', '-o', 'name', '--kubeconfig', withoutAuthority], { NODE_EXTRA_CA_CERTS: undefined });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /self-signed certificate in certificate chain/);
  assert.equal(refused.stdout, '');

  const trusted = await kctl(['get', 'configmap', 'trusted', '-o', 'name', '--kubeconfig', withoutAuthority], { NODE_EXTRA_CA_CERTS: clusterCa });
  assert.deepEqual(trusted, { code: 0, stdout: 'configmap/trusted\n', stderr: '' });

  // Node warns of a file it cannot read and goes on with its roots; so does kctl.
  const unreadable = await kctl(['get', 'configmap', 'trusted', '--kubeconfig', withoutAuthority], { NODE_EXTRA_CA_CERTS: join(scratch, 'missing.pem') });
  assert.equal(unreadable.code, 1);
  assert.match(unreadable.stderr, /Warning: Ignoring extra certs from `.*missing\.pem`, load failed: ENOENT/);
});

test('the programs kctl starts see the certificate variables as the user set them', async () => {
  const seen = join(scratch, 'editor-env');
  // An editor that records its environment and leaves the object as it is (so edit changes nothing).
  const editor = `sh -c 'env > ${seen}'`;
  const variables = () =>
    readFileSync(seen, 'utf8')
      .split('\n')
      .filter((l) => /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|KCTL_DEFERRED_)/.test(l))
      .sort();
  for (const [changes, expected] of [
    [{ NODE_EXTRA_CA_CERTS: undefined, SSL_CERT_FILE: undefined }, []],
    [{ NODE_EXTRA_CA_CERTS: clusterCa, SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt' }, [`NODE_EXTRA_CA_CERTS=${clusterCa}`, 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt']],
  ] as const) {
    const r = await kctl(['edit', 'configmap', 'trusted'], { ...changes, KUBE_EDITOR: editor });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Edit cancelled, no changes made/);
    assert.deepEqual(variables(), expected);
  }
});
