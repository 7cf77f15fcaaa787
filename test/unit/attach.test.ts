// pods/attach's query as kctl attach sends it, and the agent path the API server forwards it to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentPath } from '../../src/apiserver/http/pod-stream-target.js';
import { attachQuery } from '../../src/cli/commands/attach.js';

test('attach: stdout and stderr, stdin with -i; a terminal carries stderr on stdout', () => {
  assert.equal(attachQuery('app', false, false).toString(), 'container=app&stdout=true&stderr=true');
  assert.equal(attachQuery('app', true, true).toString(), 'container=app&stdin=true&stdout=true&tty=true');
});

test("the API server forwards PodAttachOptions to the agent's /attach path, and nothing else", () => {
  const q = new URLSearchParams('container=app&stdin=true&stdout=true&command=rm&tailLines=3');
  assert.equal(agentPath('attach', 'default', 'web', 'app', q), '/attach/default/web/app?stdin=true&stdout=true');
});
