import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { ConfigError, ENV_DEFAULTS, loadConfig } from '../../src/config';
import { EncryptionCodec, ENCRYPTED_ENCODING, parsePayloadKeys } from '../../src/temporal/payload-codec';

const keyText = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const payloadOf = (value: unknown) => defaultPayloadConverter.toPayload(value);
const valueOf = (p: Parameters<typeof defaultPayloadConverter.fromPayload>[0]) =>
  defaultPayloadConverter.fromPayload(p);

describe('payload encryption (DF_PAYLOAD_KEY)', () => {
  const k1 = keyText('k1');
  const k2 = keyText('k2');

  it('seals a payload so neither its value nor its metadata can be read, and opens it again', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(k1));
    const plain = payloadOf({ connectorConfig: { 'db.password': 'hunter2' } });
    const [sealed] = await codec.encode([plain]);
    expect(Buffer.from(sealed.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed.metadata!['encryption-key-id']!).toString()).toBe('k1');
    expect(Buffer.from(sealed.data!).toString('latin1')).not.toContain('hunter2');
    expect(Buffer.from(sealed.data!).toString('latin1')).not.toContain('json/plain');
    const [opened] = await codec.decode([sealed]);
    expect(valueOf(opened)).toEqual({ connectorConfig: { 'db.password': 'hunter2' } });
  });

  it('uses a fresh IV each time: the same value never seals to the same bytes', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(k1));
    const [a, b] = await codec.encode([payloadOf('same'), payloadOf('same')]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('rotates keys by id: a new first key seals new payloads, older ones still open', async () => {
    const [old] = await new EncryptionCodec(parsePayloadKeys(k1)).encode([payloadOf('before rotation')]);
    const rotated = new EncryptionCodec(parsePayloadKeys(`${k2},${k1}`));
    expect(valueOf((await rotated.decode([old]))[0])).toBe('before rotation');
    const [fresh] = await rotated.encode([payloadOf('after')]);
    expect(Buffer.from(fresh.metadata!['encryption-key-id']!).toString()).toBe('k2');
  });

  it('refuses a payload sealed with a key it does not hold, or altered after sealing', async () => {
    const [sealed] = await new EncryptionCodec(parsePayloadKeys(k1)).encode([payloadOf('x')]);
    await expect(new EncryptionCodec(parsePayloadKeys(k2)).decode([sealed])).rejects.toThrow(/key "k1"/);
    const tampered = { ...sealed, data: Buffer.from(sealed.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(new EncryptionCodec(parsePayloadKeys(k1)).decode([tampered])).rejects.toThrow();
  });

  it('passes payloads written before encryption was turned on through as they are', async () => {
    const plain = payloadOf({ old: true });
    expect(await new EncryptionCodec(parsePayloadKeys(k1)).decode([plain])).toEqual([plain]);
  });

  it('refuses a malformed DF_PAYLOAD_KEY at start, without echoing it', () => {
    const bad = ['nokey', 'k1:c2hvcnQ=', `${k1},${k1}`, `bad id!:${randomBytes(32).toString('base64')}`];
    for (const value of bad) {
      let error: unknown;
      try {
        loadConfig({ DF_PAYLOAD_KEY: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('DF_PAYLOAD_KEY');
      expect((error as Error).message).not.toContain(
        value.slice(value.indexOf(':') + 1, value.indexOf(':') + 9) || value,
      );
    }
    expect(ENV_DEFAULTS.DF_PAYLOAD_KEY).toBe('');
    expect(loadConfig({ DF_DEV_MODE: 'true' }).payloadKeys).toEqual([]);
  });
});
