// Kubernetes' protobuf envelope: the 4 bytes `k8s\0`, then a runtime.Unknown {typeMeta {apiVersion,
// kind}, raw (the kind's message), contentEncoding, contentType}. A watch stream in protobuf is a
// series of frames, each a 4-byte big-endian length and a metav1.WatchEvent {type, object: a
// RawExtension holding the enveloped object}.
import protobuf from 'protobufjs/minimal.js';
import { decodeMessage, encodeMessage, messageForKind, setRawExtensionDecoder } from './codec.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
export const MAGIC = Buffer.from('k8s\0', 'latin1');
const WATCH_EVENT = 'k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent';

export class ProtobufError extends Error {}

type Json = any;

interface Unknown {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

function readUnknown(body: Uint8Array): Unknown {
  const r = protobuf.Reader.create(body);
  const out: Unknown = { apiVersion: '', kind: '', raw: new Uint8Array() };
  while (r.pos < r.len) {
    const key = r.uint32();
    if (key === 10) {
      const end = r.uint32() + r.pos;
      while (r.pos < end) {
        const k = r.uint32();
        if (k === 10) out.apiVersion = r.string();
        else if (k === 18) out.kind = r.string();
        else r.skipType(k & 7);
      }
    } else if (key === 18) out.raw = r.bytes();
    else r.skipType(key & 7);
  }
  return out;
}

/** The message of an object's kind, or why it has none. */
function messageOf(apiVersion: string, kind: string): string {
  const type = messageForKind(apiVersion, kind);
  if (!type) throw new ProtobufError(`no protobuf message is known for ${kind} in ${apiVersion || 'no version'}`);
  return type;
}

/** An enveloped object's kind and JSON form (apiVersion and kind first, from the envelope). */
export function decodeObject(body: Uint8Array): Json {
  if (body.length < MAGIC.length || !MAGIC.equals(body.subarray(0, MAGIC.length))) {
    throw new ProtobufError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  let unknown: Unknown;
  try {
    unknown = readUnknown(body.subarray(MAGIC.length));
  } catch (err) {
    throw new ProtobufError(`malformed protobuf envelope: ${(err as Error).message}`);
  }
  const type = messageOf(unknown.apiVersion, unknown.kind);
  try {
    return { apiVersion: unknown.apiVersion, kind: unknown.kind, ...decodeMessage(type, unknown.raw) };
  } catch (err) {
    throw new ProtobufError(`malformed ${unknown.kind}: ${(err as Error).message}`);
  }
}

/** The enveloped bytes of an object, by its apiVersion and kind. */
export function encodeObject(obj: Json): Buffer {
  const raw = encodeMessage(messageOf(obj.apiVersion ?? '', obj.kind ?? ''), obj);
  const w = protobuf.Writer.create();
  w.uint32(10).fork().uint32(10).string(obj.apiVersion).uint32(18).string(obj.kind).ldelim();
  w.uint32(18).bytes(raw);
  // contentEncoding and contentType, empty, as Kubernetes sends them.
  w.uint32(26).string('').uint32(34).string('');
  return Buffer.concat([MAGIC, w.finish()]);
}

/** One frame of a protobuf watch stream. */
export function encodeWatchFrame(type: string, obj: Json): Buffer {
  const event = encodeMessage(WATCH_EVENT, { type, object: encodeObject(obj) });
  const frame = Buffer.allocUnsafe(4 + event.length);
  frame.writeUInt32BE(event.length, 0);
  frame.set(event, 4);
  return frame;
}

/** The events in a protobuf watch stream's bytes so far, and the bytes of an incomplete last frame. */
export function decodeWatchFrames(bytes: Buffer): { events: { type: string; object: Json }[]; rest: Buffer } {
  const events: { type: string; object: Json }[] = [];
  let at = 0;
  while (bytes.length - at >= 4) {
    const length = bytes.readUInt32BE(at);
    if (bytes.length - at - 4 < length) break;
    events.push(decodeMessage(WATCH_EVENT, bytes.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  return { events, rest: bytes.subarray(at) };
}

// A RawExtension inside a protobuf message holds the embedded object enveloped when it came as protobuf.
setRawExtensionDecoder((raw) => (MAGIC.equals(Buffer.from(raw.subarray(0, 4))) ? decodeObject(raw) : JSON.parse(Buffer.from(raw).toString('utf8'))));
