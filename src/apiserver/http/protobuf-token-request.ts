// kubectl's typed clients (as `kubectl create token` uses) send their bodies as Kubernetes
// protobuf and accept JSON back. This reads just the one message that arrives that way here, a
// TokenRequest: the `k8s\0` magic, the runtime.Unknown envelope, then the message itself.
import { errors } from '../../api/errors.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Field = { num: number; value: bigint | Buffer };

function malformed(): Error {
  return errors.badRequest('error decoding the protobuf request body: malformed message');
}

function readVarint(buf: Buffer, at: number): [bigint, number] {
  let value = 0n;
  for (let shift = 0n; at < buf.length && shift < 70n; shift += 7n) {
    const byte = buf[at++];
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [value, at];
  }
  throw malformed();
}

/** The fields of one message, in order; fixed-width fields are skipped (none are needed). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const [key, next] = readVarint(buf, at);
    at = next;
    const num = Number(key >> 3n);
    switch (Number(key & 7n)) {
      case 0: {
        const [value, after] = readVarint(buf, at);
        out.push({ num, value });
        at = after;
        break;
      }
      case 1:
        at += 8;
        break;
      case 2: {
        const [len, after] = readVarint(buf, at);
        const end = after + Number(len);
        if (end > buf.length) throw malformed();
        out.push({ num, value: buf.subarray(after, end) });
        at = end;
        break;
      }
      case 5:
        at += 4;
        break;
      default:
        throw malformed();
    }
  }
  if (at !== buf.length) throw malformed();
  return out;
}

function bytes(fs: Field[], num: number): Buffer | undefined {
  const f = fs.find((x) => x.num === num);
  return f && Buffer.isBuffer(f.value) ? f.value : undefined;
}

/** A string field; proto3-style empty strings count as unset. */
function text(fs: Field[], num: number): string | undefined {
  const b = bytes(fs, num);
  return b && b.length ? b.toString('utf8') : undefined;
}

function withoutUnset<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The TokenRequest in a protobuf body, as the JSON object the API would have received. */
export function decodeTokenRequest(body: Buffer): object {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw errors.badRequest('the protobuf request body lacks the k8s magic prefix');
  const envelope = fields(body.subarray(MAGIC.length));
  const typeMeta = fields(bytes(envelope, 1) ?? Buffer.alloc(0));
  const kind = text(typeMeta, 2);
  if (kind !== 'TokenRequest') throw errors.badRequest(`the protobuf request body holds a ${kind ?? 'message of no kind'}, not a TokenRequest`);
  const message = fields(bytes(envelope, 2) ?? Buffer.alloc(0));
  const meta = fields(bytes(message, 1) ?? Buffer.alloc(0));
  const spec = fields(bytes(message, 2) ?? Buffer.alloc(0));
  const ref = bytes(spec, 3);
  const refFields = ref ? fields(ref) : [];
  const expiration = spec.find((f) => f.num === 4)?.value;
  return {
    apiVersion: text(typeMeta, 1),
    kind,
    metadata: withoutUnset({ name: text(meta, 1), namespace: text(meta, 3) }),
    spec: withoutUnset({
      audiences: spec.filter((f) => f.num === 1 && Buffer.isBuffer(f.value)).map((f) => (f.value as Buffer).toString('utf8')),
      expirationSeconds: typeof expiration === 'bigint' ? Number(BigInt.asIntN(64, expiration)) : undefined,
      boundObjectRef: ref
        ? withoutUnset({ kind: text(refFields, 1), apiVersion: text(refFields, 2), name: text(refFields, 3), uid: text(refFields, 4) })
        : undefined,
    }),
  };
}
