import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { temporal } from '@temporalio/proto';
// Imported, not only resolved below: the compiled build emits only what is imported.
import './failure-converter';

/** Metadata `encoding` of a payload this codec sealed (Temporal's convention for encrypted payloads). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A payload that is sealed but cannot be opened: an unknown key or a key that does not match. Never plaintext instead. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

/**
 * The payload keys (`SDO_PAYLOAD_KEYS=id:base64key,...`): the first seals new payloads, all of them
 * open old ones, so a rotation puts a new key first and keeps the old ones behind it. The keys are
 * kept out of every string, JSON and inspect form of the ring: only their IDs show.
 */
export class PayloadKeyRing {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;

  constructor(keys: { id: string; key: Buffer }[]) {
    if (!keys.length) throw new Error('a payload key ring needs at least one key');
    this.#keys = new Map(keys.map((k) => [k.id, k.key]));
    this.currentKeyId = keys[0]!.id;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  toJSON(): { currentKeyId: string; keyIds: string[] } {
    return { currentKeyId: this.currentKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `PayloadKeyRing(${this.keyIds.join(', ')})`;
  }
}

/** Parses `SDO_PAYLOAD_KEYS`; problems name the entry, never its key. */
export function parsePayloadKeys(raw: string | undefined, problems: string[], name = 'SDO_PAYLOAD_KEYS'): PayloadKeyRing | undefined {
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) {
    problems.push(`${name} is required: id:base64key,... (32 random bytes each, e.g. \`echo k1:$(openssl rand -base64 32)\`)`);
    return undefined;
  }
  const keys: { id: string; key: Buffer }[] = [];
  const before = problems.length;
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const where = `${name} entry ${index + 1}${KEY_ID.test(id) ? ` (${id})` : ''}`;
    if (!KEY_ID.test(id)) return problems.push(`${where} must look like id:base64key with an ID of letters, digits, '.', '_' or '-'`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32) return problems.push(`${where} must hold 32 random bytes, base64-encoded (e.g. \`openssl rand -base64 32\`)`);
    if (keys.some((k) => k.id === id)) return problems.push(`${where} repeats the key ID ${id}`);
    keys.push({ id, key });
  });
  return problems.length > before ? undefined : new PayloadKeyRing(keys);
}

/** The key ring of `SDO_PAYLOAD_KEYS`-style text, or a ConfigError-style message naming the problems. */
export function payloadKeyRing(raw: string): PayloadKeyRing {
  const problems: string[] = [];
  const ring = parsePayloadKeys(raw, problems);
  if (!ring) throw new Error(problems.join('; '));
  return ring;
}

/** A new key ring entry (`id:base64key`), as `npm start` generates it. */
export function generatePayloadKeyEntry(id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/**
 * AES-256-GCM over whole payloads: the sealed payload's data is iv ‖ ciphertext ‖ tag of the
 * original payload's protobuf bytes, its metadata says only the encoding and the key ID. Decoding
 * passes through payloads it did not seal (histories recorded before encryption), and refuses
 * sealed ones it cannot open rather than hand back anything else.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const id = this.keys.currentKeyId;
    const key = this.keys.key(id)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(CIPHER, key, iv);
      const sealed = Buffer.concat([iv, cipher.update(encodePayload(payload)), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(id) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.['encoding']) !== ENCRYPTED_ENCODING) return payload;
      const id = text(payload.metadata?.[KEY_ID_METADATA]);
      const key = id === undefined ? undefined : this.keys.key(id);
      if (!key)
        throw new PayloadDecryptionError(
          `payload sealed with key "${id ?? '(none)'}", which is not in the payload key ring (${this.keys.keyIds.join(', ')}): add it to SDO_PAYLOAD_KEYS`,
        );
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`payload sealed with key "${id}" is truncated`);
      try {
        const decipher = createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        return decodePayload(Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]));
      } catch {
        throw new PayloadDecryptionError(`payload sealed with key "${id}" does not open with the configured key of that ID (wrong key or altered payload)`);
      }
    });
  }
}

/**
 * The failure converter's module (`.ts` from source, `.js` in the compiled build): failure messages
 * and stack traces become payloads, so the codec seals them too. The workflow bundle takes the
 * same path (bundlerOptions in apps/worker).
 */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** What every Temporal client and worker of SDO converts payloads and failures with. */
export function sdoDataConverter(keys: PayloadKeyRing): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

function utf8(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}

function text(bytes: Uint8Array | null | undefined): string | undefined {
  return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
}

// The sealed bytes are the payload as protobuf, so metadata (encoding, message type) travels encrypted too.
function encodePayload(payload: Payload): Uint8Array {
  return temporal.api.common.v1.Payload.encode(payload).finish();
}

function decodePayload(bytes: Uint8Array): Payload {
  const p = temporal.api.common.v1.Payload.decode(bytes);
  return { metadata: p.metadata, data: p.data };
}
