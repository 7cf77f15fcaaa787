// kctl proxy's request filter and the completion script's command tree (run in bash).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { bashCompletion, commandTree } from '../../src/cli/completion-script.js';
import { DEFAULT_ACCEPT_HOSTS, DEFAULT_REJECT_PATHS, accepts, hostOf, makeFilter, stripPrefix } from '../../src/cli/proxy-filter.js';

const dir = mkdtempSync(join(tmpdir(), 'kctl-completion-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test("proxy: kubectl's default filter and --api-prefix", () => {
  const f = makeFilter({ acceptHosts: DEFAULT_ACCEPT_HOSTS, acceptPaths: '^.*', rejectPaths: DEFAULT_REJECT_PATHS, rejectMethods: '^$' });
  assert.equal(accepts(f, 'GET', '/api/v1/pods', hostOf('127.0.0.1:8001')), true);
  assert.equal(accepts(f, 'GET', '/api/v1/pods', hostOf('localhost:8001')), true);
  assert.equal(accepts(f, 'GET', '/api/v1/pods', hostOf('[::1]:8001')), true);
  assert.equal(accepts(f, 'GET', '/api/v1/pods', hostOf('evil.example:8001')), false);
  assert.equal(accepts(f, 'POST', '/api/v1/namespaces/default/pods/web/exec', hostOf('127.0.0.1:8001')), false);
  assert.equal(stripPrefix('/k8s/api/v1', '/k8s/'), '/api/v1');
  assert.equal(stripPrefix('/other', '/k8s/'), undefined);
  assert.equal(stripPrefix('/api', '/'), '/api');
});

test('completion: the command tree, and bash completing commands, flags and resource types', () => {
  const program = new Command('kctl').option('-n, --namespace <ns>');
  const rollout = program.command('rollout');
  rollout.command('status').option('-w, --watch');
  program.command('get').alias('g').option('-o, --output <f>');
  const tree = commandTree(program);
  assert.deepEqual(tree.find((n) => n.path === 'kctl rollout status'), { path: 'kctl rollout status', subcommands: [], flags: ['--namespace', '--watch', '-n', '-w'] });
  const script = join(dir, 'c.bash');
  writeFileSync(script, bashCompletion(tree, ['deployments', 'pods']));
  const run = (words: string[]) =>
    spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words.map((w) => `"${w}"`).join(' ')}); COMP_CWORD=${words.length - 1}; __kctl_start; echo "\${COMPREPLY[*]}"`]).stdout.toString().trim();
  assert.equal(run(['kctl', 'ro']), 'rollout');
  assert.equal(run(['kctl', 'rollout', 'status', '--w']), '--watch');
  assert.equal(run(['kctl', '-n', 'x', 'get', 'po']), 'pods');
});
