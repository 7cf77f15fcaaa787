// The SPDY/3.1 codec: frames, name/value blocks and their zlib compression, checked against bytes
// kubectl 1.32 sent for one forwarded connection (`kubectl port-forward pod/web 18555:8000`, one GET).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPDY3_DICTIONARY } from '../../src/api/spdy/dictionary.js';
import { FrameReader, SpdyProtocolError, encodeFrame, type Frame } from '../../src/api/spdy/frames.js';
import { decodeHeaderBlock, encodeHeaderBlock } from '../../src/api/spdy/header-block.js';
import { HeaderCompression } from '../../src/api/spdy/header-compression.js';

const KUBECTL_CONNECTION = Buffer.from(
  '800300010000003e0000000100000000000078f9e3c6a7c202253a48f95b044eea160606060c0c0c9c4590f8ca04a5634603704a2c294a4dcc851636aca9a0a800000000ffff' +
    '00000001010000008003000100' + '00001a00000003000000000000826a26a418543225a25b02000000ffff' +
    '000000030000003c474554202f20485454502f312e310d0a486f73743a203132372e302e302e313a31383535350d0a436f6e6e656374696f6e3a20636c6f73650d0a0d0a' +
    '000000030100000080030007000000080000000000000000',
  'hex',
);
const GET = 'GET / HTTP/1.1\r\nHost: 127.0.0.1:18555\r\nConnection: close\r\n\r\n';

test('the dictionary is the SPDY/3 one: 1423 bytes, length-prefixed names first', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
  assert.ok(SPDY3_DICTIONARY.toString('latin1').endsWith('utf-,*,enq=0.'));
});

test("kubectl's connection: error and data SYN_STREAMs, a half-closed error stream, data with FIN, GOAWAY", async () => {
  const frames = new FrameReader().push(KUBECTL_CONNECTION);
  assert.deepEqual(
    frames.map((f) => f.type),
    ['synStream', 'data', 'synStream', 'data', 'data', 'goAway'],
  );
  const [errorSyn, errorFin, dataSyn, data, dataFin, goAway] = frames as any[];
  assert.deepEqual([errorSyn.streamId, errorSyn.fin, dataSyn.streamId, dataSyn.fin], [1, false, 3, false]);
  assert.deepEqual(errorFin, { type: 'data', streamId: 1, fin: true, data: Buffer.alloc(0) });
  assert.deepEqual(data, { type: 'data', streamId: 3, fin: false, data: Buffer.from(GET) });
  assert.deepEqual(dataFin, { type: 'data', streamId: 3, fin: true, data: Buffer.alloc(0) });
  assert.deepEqual(goAway, { type: 'goAway', lastGoodStreamId: 0, status: 0 });
  // One zlib stream for the connection: the second block only makes sense after the first.
  const hc = new HeaderCompression();
  try {
    assert.deepEqual(await hc.decompress(errorSyn.headerBlock), { port: ['8000'], requestid: ['0'], streamtype: ['error'] });
    assert.deepEqual(await hc.decompress(dataSyn.headerBlock), { requestid: ['0'], streamtype: ['data'], port: ['8000'] });
  } finally {
    hc.close();
  }
  const fresh = new HeaderCompression();
  try {
    await assert.rejects(fresh.decompress(dataSyn.headerBlock));
  } finally {
    fresh.close();
  }
});

test('frames round-trip, also when the bytes come one at a time', () => {
  const frames: Frame[] = [
    { type: 'synStream', streamId: 5, associatedTo: 0, priority: 3, fin: true, unidirectional: false, headerBlock: Buffer.from('abc') },
    { type: 'synReply', streamId: 5, fin: false, headerBlock: Buffer.from('xyz') },
    { type: 'headers', streamId: 5, fin: true, headerBlock: Buffer.alloc(0) },
    { type: 'data', streamId: 7, fin: true, data: Buffer.from('payload') },
    { type: 'rstStream', streamId: 7, status: 5 },
    { type: 'settings', clearPersisted: false, entries: [{ flags: 1, id: 7, value: 65536 }, { flags: 0, id: 4, value: 100 }] },
    { type: 'ping', id: 0xfffffffe },
    { type: 'goAway', lastGoodStreamId: 9, status: 1 },
    { type: 'windowUpdate', streamId: 0, delta: 0x7fffffff },
  ];
  const bytes = Buffer.concat(frames.map(encodeFrame));
  assert.deepEqual(new FrameReader().push(bytes), frames);
  const reader = new FrameReader();
  const split: Frame[] = [];
  for (const byte of bytes) split.push(...reader.push(Buffer.from([byte])));
  assert.deepEqual(split, frames);
});

test('control frames carry version 3; another version or a short frame is a protocol error; unknown types are skipped', () => {
  const ping = encodeFrame({ type: 'ping', id: 1 });
  assert.equal(ping.toString('hex'), '800300060000000400000001');
  const v2 = Buffer.from(ping);
  v2[1] = 2;
  assert.throws(() => new FrameReader().push(v2), SpdyProtocolError);
  assert.throws(() => new FrameReader().push(Buffer.from('8003000300000004' + '00000001', 'hex')), /RST_STREAM frame too short/);
  assert.deepEqual(new FrameReader().push(Buffer.from('8003000a00000000', 'hex')), [{ type: 'unknown', controlType: 10 }]);
});

test('name/value blocks: lower-case names, several values joined by NUL, truncation and empty names refused', () => {
  const block = encodeHeaderBlock({ StreamType: ['data'], cookie: ['a', 'b'] });
  assert.equal(block.toString('hex'), '00000002' + '0000000a' + Buffer.from('streamtype').toString('hex') + '00000004' + Buffer.from('data').toString('hex') + '00000006' + Buffer.from('cookie').toString('hex') + '00000003' + '610062');
  assert.deepEqual(decodeHeaderBlock(block), { streamtype: ['data'], cookie: ['a', 'b'] });
  assert.throws(() => decodeHeaderBlock(block.subarray(0, block.length - 1)), /ends early/);
  assert.throws(() => decodeHeaderBlock(Buffer.from('000000010000000000000000', 'hex')), /empty name/);
});

test('header compression round-trips through one shared context; later blocks reuse earlier ones', async () => {
  const sender = new HeaderCompression();
  const receiver = new HeaderCompression();
  try {
    const headers = { streamtype: ['error'], port: ['8000'], requestid: ['42'] };
    const first = await sender.compress(headers);
    const second = await sender.compress(headers);
    // zlib header with a preset dictionary (FDICT), then the block; the repeat is a short back-reference.
    assert.equal(first[0], 0x78);
    assert.ok((first[1] & 0x20) !== 0, 'FDICT set');
    assert.ok(second.length < first.length / 2, `${second.length} < ${first.length}/2`);
    assert.deepEqual(await receiver.decompress(first), headers);
    assert.deepEqual(await receiver.decompress(second), headers);
    assert.deepEqual(await receiver.decompress(await sender.compress({})), {});
  } finally {
    sender.close();
    receiver.close();
  }
});
