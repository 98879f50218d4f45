import { defaultPayloadConverter } from '@temporalio/common';
import { inspect } from 'node:util';
import { loadConfig } from './config';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, parsePayloadKeys, PayloadDecryptionError, payloadKeyRing } from './payload-codec';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const OLD = `2025:${key(1)}`;
const NEW = `2026:${key(2)}`;
const REPORT = { summary: 'Chinook converted for ACME Trading Ltd', host: 'erp-db.acme.internal', password: 'Tr0ub4dor&3' };

const seal = async (ring: string, value: unknown) =>
  (await new AesGcmPayloadCodec(payloadKeyRing(ring)).encode([defaultPayloadConverter.toPayload(value)]))[0]!;
const open = async (ring: string, payload: Awaited<ReturnType<typeof seal>>) =>
  defaultPayloadConverter.fromPayload((await new AesGcmPayloadCodec(payloadKeyRing(ring)).decode([payload]))[0]!);

describe('AES-256-GCM payload codec', () => {
  it('seals the whole payload: only ciphertext, the encoding and the key ID are visible', async () => {
    const sealed = await seal(OLD, REPORT);
    expect(Object.fromEntries(Object.entries(sealed.metadata!).map(([k, v]) => [k, Buffer.from(v).toString()]))).toEqual({
      encoding: ENCRYPTED_ENCODING,
      'encryption-key-id': '2025',
    });
    const visible = Buffer.from(sealed.data!).toString('latin1');
    for (const secret of [REPORT.summary, 'ACME', REPORT.host, REPORT.password, 'json/plain']) expect(visible).not.toContain(secret);
    expect(await open(OLD, sealed)).toEqual(REPORT);
  });

  it('never seals two payloads alike (fresh IV each time)', async () => {
    const [a, b] = await Promise.all([seal(OLD, REPORT), seal(OLD, REPORT)]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('opens payloads sealed with an old key after a rotation, and seals new ones with the new key', async () => {
    const before = await seal(OLD, REPORT);
    const rotated = `${NEW},${OLD}`;
    expect(await open(rotated, before)).toEqual(REPORT);
    const after = await seal(rotated, REPORT);
    expect(Buffer.from(after.metadata!['encryption-key-id']!).toString()).toBe('2026');
    expect(await open(rotated, after)).toEqual(REPORT);
  });

  it('passes plaintext payloads through (histories recorded before encryption)', async () => {
    const plain = defaultPayloadConverter.toPayload(REPORT);
    expect(await open(NEW, plain)).toEqual(REPORT);
  });

  it('fails clearly, never with plaintext, for an unknown key ID, a wrong key or an altered payload', async () => {
    const sealed = await seal(OLD, REPORT);
    await expect(open(NEW, sealed)).rejects.toThrow(
      new PayloadDecryptionError('payload sealed with key "2025", which is not in the payload key ring (2026): add it to SDO_PAYLOAD_KEYS'),
    );
    await expect(open(`2025:${key(9)}`, sealed)).rejects.toThrow(/sealed with key "2025" does not open .*wrong key or altered payload/);
    const altered = { ...sealed, data: Buffer.from(sealed.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(open(OLD, altered)).rejects.toThrow(PayloadDecryptionError);
    await expect(open(OLD, { ...sealed, data: sealed.data!.subarray(0, 10) })).rejects.toThrow(/truncated/);
  });
});

describe('SDO_PAYLOAD_KEYS', () => {
  it('is required, checked per entry and never quoted back', () => {
    const problems: string[] = [];
    expect(parsePayloadKeys(`bad id:${key(1)},k2:c2hvcnQ=,k3:${key(3)},k3:${key(4)},nocolon`, problems)).toBeUndefined();
    expect(problems).toEqual([
      "SDO_PAYLOAD_KEYS entry 1 must look like id:base64key with an ID of letters, digits, '.', '_' or '-'",
      'SDO_PAYLOAD_KEYS entry 2 (k2) must hold 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
      'SDO_PAYLOAD_KEYS entry 4 (k3) repeats the key ID k3',
      "SDO_PAYLOAD_KEYS entry 5 must look like id:base64key with an ID of letters, digits, '.', '_' or '-'",
    ]);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://h/db', SDO_SECRETS_KEY: key(7) })).toThrow(/SDO_PAYLOAD_KEYS is required/);
  });

  it('makes the first key current and shows only key IDs when printed', () => {
    const ring = payloadKeyRing(` ${NEW} , ${OLD} `);
    expect(ring.currentKeyId).toBe('2026');
    expect(ring.keyIds).toEqual(['2026', '2025']);
    const config = loadConfig({ DATABASE_URL: 'postgres://h/db', SDO_SECRETS_KEY: key(7), SDO_PAYLOAD_KEYS: NEW });
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.payloadKeys)]) expect(shown).not.toContain(key(2));
  });
});
