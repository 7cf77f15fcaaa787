import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Channel, decodeFrame, decodeResize, encodeFrame, encodeResize, execOutcome, exitStatus, failureStatus, pickSubprotocol } from '../../src/api/remotecommand.js';

test('frames carry their channel in the first byte', () => {
  const f = encodeFrame(Channel.stdout, 'hi\n');
  assert.deepEqual([...f], [1, 0x68, 0x69, 0x0a]);
  assert.deepEqual(decodeFrame(f), { channel: 1, data: Buffer.from('hi\n') });
  assert.deepEqual([...encodeFrame(Channel.close, Buffer.from([Channel.stdin]))], [255, 0]);
  assert.equal(decodeFrame(Buffer.alloc(0)), undefined);
});

test('v5 is preferred to v4; nothing else is spoken', () => {
  assert.equal(pickSubprotocol(['v4.channel.k8s.io', 'v5.channel.k8s.io']), 'v5.channel.k8s.io');
  assert.equal(pickSubprotocol(['channel.k8s.io', 'v4.channel.k8s.io']), 'v4.channel.k8s.io');
  assert.equal(pickSubprotocol(['base64.channel.k8s.io']), undefined);
});

test('resize messages are {"Width","Height"}; malformed ones are ignored', () => {
  const f = decodeFrame(encodeResize({ width: 120, height: 40 }))!;
  assert.equal(f.channel, Channel.resize);
  assert.equal(f.data.toString(), '{"Width":120,"Height":40}');
  assert.deepEqual(decodeResize(f.data), { width: 120, height: 40 });
  assert.equal(decodeResize(Buffer.from('{"Width":0,"Height":3}')), undefined);
  assert.equal(decodeResize(Buffer.from('nope')), undefined);
});

test('the exit status: Success for 0, NonZeroExitCode with an ExitCode cause otherwise', () => {
  assert.deepEqual(exitStatus(0, ['true']), { metadata: {}, status: 'Success' });
  const failed = exitStatus(3, ['sh', '-c', 'exit 3']) as any;
  assert.equal(failed.status, 'Failure');
  assert.equal(failed.reason, 'NonZeroExitCode');
  assert.deepEqual(failed.details.causes, [{ reason: 'ExitCode', message: '3' }]);
  assert.deepEqual(execOutcome(JSON.stringify(failed)), { exitCode: 3 });
  assert.deepEqual(execOutcome(JSON.stringify(exitStatus(0, ['true']))), { exitCode: 0 });
  assert.deepEqual(execOutcome(''), { exitCode: 0 });
});

test('other failures on the error channel are errors with their message', () => {
  assert.deepEqual(execOutcome(JSON.stringify(failureStatus('error executing command in container: boom'))), {
    error: 'error executing command in container: boom',
  });
  assert.match((execOutcome('{not json') as { error: string }).error, /error stream protocol error/);
});
