import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for the few secrets memfleet stores (SSH private keys, passwords). Each ciphertext
 * names the key that sealed it, so keys can rotate: the first key seals, every key opens.
 * Same shape as `EncryptedSecret` in libs/db (kept structural so this lib depends on nothing).
 */
export interface SealedSecret {
  readonly keyId: string;
  /** base64 of iv (12 bytes) || ciphertext || tag (16 bytes). */
  readonly ciphertext: string;
}

export interface SecretBoxKey {
  readonly id: string;
  readonly key: Uint8Array;
}

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class UnknownSecretKeyError extends Error {
  override readonly name = 'UnknownSecretKeyError';
  constructor(readonly keyId: string) {
    super(
      `secret was sealed with key "${keyId}", which MEMFLEET_SECRET_KEYS no longer lists; ` +
        'add it back (after the active key) to decrypt',
    );
  }
}

/** Wrong key bytes, a truncated value or a tampered one: GCM cannot tell which, nor should we. */
export class SecretDecryptionError extends Error {
  override readonly name = 'SecretDecryptionError';
  constructor(readonly keyId: string) {
    super(`secret sealed with key "${keyId}" failed authentication: corrupted or tampered`);
  }
}

export class SecretBox {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly activeKeyId: string;

  constructor(keys: readonly SecretBoxKey[]) {
    const [active] = keys;
    if (!active) throw new Error('SecretBox needs at least one key');
    const map = new Map<string, Buffer>();
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) {
        throw new Error(`key "${id}" is ${key.length} bytes; AES-256 needs ${KEY_BYTES}`);
      }
      if (map.has(id)) throw new Error(`key id "${id}" is given twice`);
      map.set(id, Buffer.from(key));
    }
    this.keys = map;
    this.activeKeyId = active.id;
  }

  /** Seal any JSON value with the active key and a fresh random IV. */
  encrypt(value: unknown): SealedSecret {
    const key = this.keys.get(this.activeKeyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    // The key id is bound as additional data, so a ciphertext relabelled to another key fails.
    cipher.setAAD(Buffer.from(this.activeKeyId, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const packed = Buffer.concat([iv, body, cipher.getAuthTag()]);
    return { keyId: this.activeKeyId, ciphertext: packed.toString('base64') };
  }

  decrypt<T = unknown>(sealed: SealedSecret): T {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new UnknownSecretKeyError(sealed.keyId);
    const packed = Buffer.from(sealed.ciphertext, 'base64');
    if (packed.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError(sealed.keyId);
    const iv = packed.subarray(0, IV_BYTES);
    const tag = packed.subarray(packed.length - TAG_BYTES);
    const body = packed.subarray(IV_BYTES, packed.length - TAG_BYTES);
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(sealed.keyId, 'utf8'));
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new SecretDecryptionError(sealed.keyId);
    }
    return JSON.parse(plain.toString('utf8')) as T;
  }

  /** True when the secret should be re-sealed with the active key (after a rotation). */
  needsRotation(sealed: SealedSecret): boolean {
    return sealed.keyId !== this.activeKeyId;
  }
}
