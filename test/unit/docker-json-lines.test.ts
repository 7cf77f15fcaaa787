import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLines } from '../../src/nodeagent/docker/json-lines.js';

async function parse(chunks: (string | Buffer)[]): Promise<unknown[]> {
  async function* source(): AsyncGenerator<Buffer> {
    for (const c of chunks) yield Buffer.from(c);
  }
  const out: unknown[] = [];
  for await (const message of jsonLines(source())) out.push(message);
  return out;
}

const TEXT = '{"status":"start","id":"é"}\r\n\n{"stream":"Step 1/2\\n"}\n{"aux":{"ID":"sha256:1"}}';
const EXPECTED = [{ status: 'start', id: 'é' }, { stream: 'Step 1/2\n' }, { aux: { ID: 'sha256:1' } }];

test('jsonLines: messages cut anywhere, a UTF-8 character included, CRLF and blank lines', async () => {
  const bytes = Buffer.from(TEXT);
  for (let at = 1; at < bytes.length; at++) {
    assert.deepEqual(await parse([bytes.subarray(0, at), bytes.subarray(at)]), EXPECTED, `cut at byte ${at}`);
  }
});

test('jsonLines: a broken message throws', async () => {
  await assert.rejects(parse(['{"status":\n']), SyntaxError);
});
