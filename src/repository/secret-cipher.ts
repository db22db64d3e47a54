import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKeys } from '../domain/secrets';
import type { StringMap } from '../domain/task';

/**
 * Secret config values at rest: the value of every secret key (SecretKeys decides which) is stored
 * AES-256-GCM-sealed with the payload keys (DF_PAYLOAD_KEY): the first seals, every one opens, so a
 * key is rotated as for payloads. A sealed value reads `df-sealed:v1:<key id>:<base64 iv|data|tag>`;
 * the config key is bound in as associated data, so a sealed value moved under another key does
 * not open. Values stored before (in clear) still read, and are sealed by the next write.
 */
export const SEALED_PREFIX = 'df-sealed:v1:';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretCipherError extends Error {}

/** A key as DF_PAYLOAD_KEY gives it (the payload codec's keys): an id and 32 bytes. */
export interface SealingKey {
  id: string;
  key: Buffer;
}

/** How the task repository stores config maps: sealed on the way in, opened on the way out. */
export interface ConfigSealer {
  seal(config: StringMap): StringMap;
  /** Throws SecretCipherError when a sealed value cannot be opened (its key is gone, or it was altered). */
  open(config: StringMap): StringMap;
  /** Whether the stored map holds a secret in clear that seal() would seal. */
  hasClearSecret(config: StringMap): boolean;
}

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** Seals nothing (no key, or none wanted); still refuses to pass a sealed value off as clear. */
export const NO_SEALING: ConfigSealer = {
  seal: (config) => config,
  open: (config) => {
    for (const [key, value] of Object.entries(config)) {
      if (isSealed(value)) throw new SecretCipherError(`${key} is sealed and DF_PAYLOAD_KEY holds no key to open it`);
    }
    return config;
  },
  hasClearSecret: () => false,
};

export class SecretCipher implements ConfigSealer {
  private readonly byId: Map<string, Buffer>;
  private readonly current: SealingKey;

  constructor(
    keys: readonly SealingKey[],
    private readonly secretKeys: SecretKeys,
  ) {
    if (keys.length === 0) throw new SecretCipherError('at least one key is needed');
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  private needsSealing(key: string, value: string): boolean {
    return value !== '' && !isSealed(value) && this.secretKeys.isSecret(key);
  }

  hasClearSecret(config: StringMap): boolean {
    return Object.entries(config).some(([k, v]) => this.needsSealing(k, v));
  }

  seal(config: StringMap): StringMap {
    let out: StringMap | undefined;
    for (const [key, value] of Object.entries(config)) {
      if (this.needsSealing(key, value)) (out ??= { ...config })[key] = this.sealValue(key, value);
    }
    return out ?? config;
  }

  open(config: StringMap): StringMap {
    let out: StringMap | undefined;
    for (const [key, value] of Object.entries(config)) {
      if (isSealed(value)) (out ??= { ...config })[key] = this.openValue(key, value);
    }
    return out ?? config;
  }

  private sealValue(key: string, value: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(key, 'utf8'));
    const sealed = Buffer.concat([iv, cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${SEALED_PREFIX}${this.current.id}:${sealed.toString('base64')}`;
  }

  private openValue(key: string, stored: string): string {
    const rest = stored.slice(SEALED_PREFIX.length);
    const colon = rest.indexOf(':');
    const id = colon > 0 ? rest.slice(0, colon) : '';
    const secret = this.byId.get(id);
    if (!secret)
      throw new SecretCipherError(
        `${key} is sealed with key ${JSON.stringify(id)}, which DF_PAYLOAD_KEY does not hold`,
      );
    const data = Buffer.from(rest.slice(colon + 1), 'base64');
    if (data.length < IV_BYTES + TAG_BYTES) throw new SecretCipherError(`${key}: sealed value is too short`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', secret, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(key, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretCipherError(
        `${key}: sealed value does not open with key ${id} (altered, or sealed under another config key)`,
      );
    }
  }
}

/** The sealer for these keys: none (values stay as they are) when no key is set. */
export function configSealerFor(keys: readonly SealingKey[], secretKeys: SecretKeys): ConfigSealer {
  return keys.length > 0 ? new SecretCipher(keys, secretKeys) : NO_SEALING;
}
