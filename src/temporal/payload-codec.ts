import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const PayloadProto = temporal.api.common.v1.Payload;

/**
 * AES-256-GCM encryption of every workflow and activity payload (inputs, results, signals,
 * memos), so Temporal's history and its Web UI hold ciphertext: connector configs carry
 * passwords. Keys come from DF_PAYLOAD_KEY as `id:base64key[,id:base64key…]`; the first encrypts,
 * every one decrypts, so a key is rotated by putting the new one first and dropping the old once
 * no open history needs it. Payloads written before encryption was turned on pass through as they
 * are.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export class PayloadKeyError extends Error {}

/** `id:base64key,…` → keys; each key must be 32 bytes (AES-256), each id unique. */
export function parsePayloadKeys(raw: string): PayloadKey[] {
  const keys = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      if (colon <= 0) throw new PayloadKeyError('each key must be id:base64key');
      const id = entry.slice(0, colon);
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(id))
        throw new PayloadKeyError(`key id ${JSON.stringify(id)} must be 1-64 letters, digits, ".", "_" or "-"`);
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (key.length !== 32)
        throw new PayloadKeyError(`key ${id} must be 32 bytes in base64 (openssl rand -base64 32), got ${key.length}`);
      return { id, key };
    });
  const ids = keys.map((k) => k.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new PayloadKeyError(`key id ${dup} appears twice`);
  return keys;
}

/** The codec for these keys; none when no key is set (payloads stay as they are). */
export function payloadCodecFor(keys: readonly PayloadKey[]): PayloadCodec | undefined {
  return keys.length > 0 ? new EncryptionCodec(keys) : undefined;
}

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new PayloadKeyError('at least one key is needed');
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      // The whole payload, metadata and all, is sealed, as Temporal's own codec samples do.
      const plain = PayloadProto.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: encoder.encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: encoder.encode(this.current.id),
        },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      const id = idBytes ? decoder.decode(idBytes) : '';
      const key = this.byId.get(id);
      if (!key)
        throw new PayloadKeyError(
          `payload encrypted with key ${JSON.stringify(id)}, which DF_PAYLOAD_KEY does not hold`,
        );
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadKeyError('encrypted payload is too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return PayloadProto.decode(plain) as Payload;
    });
  }
}
