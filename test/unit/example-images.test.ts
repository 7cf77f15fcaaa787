// The pure parts of the example images and the registry: the Debian mirror taken from apt's
// sources (one-line and deb822), and the registry's configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debianMirror } from '../../src/cli/images/debian-base.js';
import { registryConfig, registryPaths } from '../../src/cli/cluster/registry/registry-files.js';

test("the mirror is the one apt's sources give for bookworm, one-line or deb822; Debian's own otherwise", () => {
  const deb822 = 'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security\n';
  assert.equal(debianMirror([deb822]), 'http://mirror.example/debian');
  assert.equal(debianMirror(['# comment\ndeb-src http://src.example/debian bookworm main\ndeb [arch=amd64] http://one.example/debian bookworm main\n']), 'http://one.example/debian');
  assert.equal(debianMirror(['deb http://old.example/debian bullseye main\n', 'Types: deb-src\nURIs: http://x.example\nSuites: bookworm\n']), 'http://deb.debian.org/debian');
  assert.equal(debianMirror([]), 'http://deb.debian.org/debian');
});

test('the registry listens on its address with TLS and htpasswd auth, storing under KCTL_HOME', () => {
  const p = registryPaths('/home/k');
  const config = registryConfig(p, '10.250.0.1:5000');
  assert.match(config, /^ {2}addr: "10\.250\.0\.1:5000"$/m);
  assert.match(config, /^ {4}certificate: "\/home\/k\/pki\/registry\.crt"$/m);
  assert.match(config, /^ {4}key: "\/home\/k\/pki\/registry\.key"$/m);
  assert.match(config, /^ {2}htpasswd:\n {4}realm: kctl-registry\n {4}path: "\/home\/k\/registry\/htpasswd"$/m);
  assert.match(config, /^ {4}rootdirectory: "\/home\/k\/registry\/data"$/m);
});
