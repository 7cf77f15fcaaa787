import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MultiplexedStreamDecoder, collectOutput, demultiplex, ttyOutput, type OutputFrame } from '../../src/nodeagent/docker/output-stream.js';

function frame(streamId: number, payload: string | Buffer): Buffer {
  const data = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = streamId;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/** The stream cut at the given offsets. */
function cut(stream: Buffer, offsets: number[]): Buffer[] {
  const bounds = [0, ...offsets, stream.length];
  return bounds.slice(1).map((end, i) => stream.subarray(bounds[i], end));
}

async function* chunksOf(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

async function frames(chunks: Buffer[]): Promise<{ stream: string; text: string }[]> {
  const out: { stream: string; text: string }[] = [];
  for await (const f of demultiplex(chunksOf(chunks))) out.push({ stream: f.stream, text: f.data.toString('utf8') });
  return out;
}

const STREAM = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, 'é bye\n')]);
const EXPECTED = [
  { stream: 'stdout', text: 'hello\n' },
  { stream: 'stderr', text: 'oops\n' },
  { stream: 'stdout', text: 'é bye\n' },
];

const SPLITS: { name: string; offsets: number[] }[] = [
  { name: 'one chunk', offsets: [] },
  { name: 'cut inside the first header', offsets: [3] },
  { name: 'cut right after a header', offsets: [8] },
  { name: 'cut inside a payload', offsets: [10] },
  { name: 'cut at a frame boundary', offsets: [14] },
  { name: 'cut inside a multibyte character', offsets: [14 + 13 + 8 + 1] },
  { name: 'a header spread over three chunks', offsets: [14, 16, 19] },
  { name: 'one byte at a time', offsets: Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1) },
];

for (const { name, offsets } of SPLITS) {
  test(`demultiplex: ${name}`, async () => {
    assert.deepEqual(await frames(cut(STREAM, offsets)), EXPECTED);
  });
}

test('demultiplex: stdin frames (id 0) are echoed output, on stdout', async () => {
  assert.deepEqual(await frames([frame(0, 'typed\n')]), [{ stream: 'stdout', text: 'typed\n' }]);
});

test('demultiplex: empty frames give nothing', async () => {
  assert.deepEqual(await frames([Buffer.concat([frame(1, ''), frame(2, 'x')])]), [{ stream: 'stderr', text: 'x' }]);
});

test('demultiplex: a large frame in many chunks arrives whole', async () => {
  const payload = Buffer.alloc(200_000, 'a');
  const out = await frames(cut(frame(1, payload), [5, 70_000, 140_000]));
  assert.equal(out.length, 1);
  assert.equal(out[0].text.length, payload.length);
});

test('demultiplex: the engine error stream (id 3) throws its message', async () => {
  await assert.rejects(frames([frame(1, 'ok\n'), frame(3, 'container gone\n')]), /the Docker engine failed the stream: container gone$/);
});

test('demultiplex: a stream that ends inside a frame throws', async () => {
  await assert.rejects(frames([STREAM.subarray(0, 10)]), /ended inside a frame/);
  await assert.rejects(frames([STREAM.subarray(0, 5)]), /ended inside a frame/);
});

test('demultiplex: a TTY stream is refused rather than misread', async () => {
  await assert.rejects(frames([Buffer.from('plain terminal output\n')]), /not a multiplexed Docker stream/);
});

test('decoder: frames come out as soon as they are complete', () => {
  const decoder = new MultiplexedStreamDecoder();
  const [first, second] = cut(STREAM, [17]);
  assert.deepEqual(
    decoder.push(first).map((f) => f.data.toString()),
    ['hello\n'],
  );
  assert.deepEqual(
    decoder.push(second).map((f) => f.data.toString()),
    ['oops\n', 'é bye\n'],
  );
  decoder.end();
});

test('ttyOutput: every chunk is stdout', async () => {
  const out: OutputFrame[] = [];
  for await (const f of ttyOutput(chunksOf([Buffer.from('a'), Buffer.from('b')]))) out.push(f);
  assert.deepEqual(
    out.map((f) => [f.stream, f.data.toString()]),
    [
      ['stdout', 'a'],
      ['stdout', 'b'],
    ],
  );
});

test('collectOutput: stdout and stderr apart, characters cut between frames rejoined', async () => {
  const euro = Buffer.from('€');
  const stream = Buffer.concat([frame(1, euro.subarray(0, 1)), frame(2, 'e'), frame(1, euro.subarray(1))]);
  assert.deepEqual(await collectOutput(demultiplex(chunksOf([stream]))), { stdout: '€', stderr: 'e' });
});
