import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLASS_IN, decodeMessage, DnsFormatError, encodeForUdp, encodeMessage, TYPE, udpPayloadLimit, type DnsMessage } from '../../src/nodeagent/dns/dns-message.js';

function message(over: Partial<DnsMessage> = {}): DnsMessage {
  return { id: 0x1234, qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: true, rcode: 0, questions: [], answers: [], authorities: [], additionals: [], ...over };
}

test('a query as dig sends it decodes: header bits, question, EDNS payload size', () => {
  // dig +noedns-less query for example.com A with an OPT record of 1232 bytes.
  const bytes = Buffer.from('abcd01200001000000000001076578616d706c6503636f6d00000100010000290' + '4d0000000000000', 'hex');
  const m = decodeMessage(bytes);
  assert.equal(m.id, 0xabcd);
  assert.equal(m.qr, false);
  assert.equal(m.rd, true);
  assert.deepEqual(m.questions, [{ name: 'example.com', type: TYPE.A, class: CLASS_IN }]);
  assert.equal(m.additionals[0].type, TYPE.OPT);
  assert.equal(udpPayloadLimit(m), 1232);
  assert.equal(udpPayloadLimit({ ...m, additionals: [] }), 512);
});

test('every record type round-trips, names compressed', () => {
  const m = message({
    questions: [{ name: 'web.default.svc.cluster.local', type: TYPE.ANY, class: CLASS_IN }],
    answers: [
      { name: 'web.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN, ttl: 5, data: { address: '10.96.0.10' } },
      { name: 'web.default.svc.cluster.local', type: TYPE.AAAA, class: CLASS_IN, ttl: 5, data: { address: 'fd00:0:0:0:0:0:0:1' } },
      { name: 'ext.default.svc.cluster.local', type: TYPE.CNAME, class: CLASS_IN, ttl: 5, data: { target: 'example.com' } },
      { name: '_http._tcp.web.default.svc.cluster.local', type: TYPE.SRV, class: CLASS_IN, ttl: 5, data: { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' } },
      { name: '10.0.96.10.in-addr.arpa', type: TYPE.PTR, class: CLASS_IN, ttl: 5, data: { target: 'web.default.svc.cluster.local' } },
      { name: 'x', type: TYPE.TXT, class: CLASS_IN, ttl: 5, data: { raw: Buffer.from('\x02hi') } },
    ],
    authorities: [
      { name: 'cluster.local', type: TYPE.SOA, class: CLASS_IN, ttl: 5, data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 7, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 } },
    ],
  });
  const bytes = encodeMessage(m);
  const back = decodeMessage(bytes);
  assert.deepEqual(back.answers[1].data, { address: 'fd00:0:0:0:0:0:0:1' });
  assert.deepEqual({ ...back, answers: back.answers.filter((_, i) => i !== 1) }, { ...m, answers: m.answers.filter((_, i) => i !== 1) });
  // The name is written in the question and in the SRV target (never compressed, RFC 2782);
  // every other occurrence points back at the question's.
  const label = Buffer.from('\x03web\x07default\x03svc');
  assert.equal(bytes.indexOf(label), 12);
  assert.equal(bytes.indexOf(label, 13), bytes.lastIndexOf(label));
  assert.ok(bytes.length < 300, `${bytes.length} bytes`);
});

test('IPv6 addresses with :: are written in full', () => {
  const m = message({ answers: [{ name: 'a', type: TYPE.AAAA, class: CLASS_IN, ttl: 5, data: { address: '::1' } }] });
  assert.deepEqual(decodeMessage(encodeMessage(m)).answers[0].data, { address: '0:0:0:0:0:0:0:1' });
});

test('malformed messages are refused: short, runaway label, forward pointer, pointer loop', () => {
  assert.throws(() => decodeMessage(Buffer.from('1234', 'hex')), DnsFormatError);
  assert.throws(() => decodeMessage(Buffer.from('000000000001000000000000' + '05616263', 'hex')), DnsFormatError);
  assert.throws(() => decodeMessage(Buffer.from('000000000001000000000000' + 'c00e00000100010000', 'hex')), DnsFormatError);
  assert.throws(() => decodeMessage(Buffer.from('000000000001000000000000' + 'c00c00010001', 'hex')), DnsFormatError);
});

test('an answer too big for UDP goes out truncated (TC, question kept) for the client to ask over TCP', () => {
  const answers = Array.from({ length: 60 }, (_, i) => ({ name: `pod-${i}.db.default.svc.cluster.local`, type: TYPE.A, class: CLASS_IN, ttl: 5, data: { address: `10.244.0.${i}` } }));
  const m = message({ questions: [{ name: 'db.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN }], answers });
  assert.ok(encodeMessage(m).length > 512);
  const udp = decodeMessage(encodeForUdp(m, 512));
  assert.equal(udp.tc, true);
  assert.deepEqual(udp.answers, []);
  assert.deepEqual(udp.questions, m.questions);
  assert.equal(decodeMessage(encodeForUdp(m, 4096)).answers.length, 60);
});
