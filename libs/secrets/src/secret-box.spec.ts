import { randomBytes } from 'node:crypto';
import { SecretBox, SecretDecryptionError, UnknownSecretKeyError } from './secret-box';

const k0 = { id: 'k0', key: randomBytes(32) };
const k1 = { id: 'k1', key: randomBytes(32) };
const secret = { privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\ncanary\n', passphrase: 'pw' };

/** Flip one bit of the packed bytes at `index` (negative counts from the end). */
function flipBit(ciphertext: string, index: number): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe('SecretBox', () => {
  it('round-trips a JSON secret and never stores it in the clear', () => {
    const box = new SecretBox([k0]);
    const sealed = box.encrypt(secret);
    expect(sealed.keyId).toBe('k0');
    expect(sealed.ciphertext).not.toContain('canary');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')).not.toContain('canary');
    expect(box.decrypt(sealed)).toEqual(secret);
  });

  it('uses a fresh IV each time, so equal secrets give different ciphertexts', () => {
    const box = new SecretBox([k0]);
    const a = Buffer.from(box.encrypt(secret).ciphertext, 'base64');
    const b = Buffer.from(box.encrypt(secret).ciphertext, 'base64');
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it.each([
    ['the IV', 0],
    ['the ciphertext body', 14],
    ['the tag', -1],
  ])('rejects a value whose %s was tampered with', (_part, index) => {
    const box = new SecretBox([k0]);
    const sealed = box.encrypt(secret);
    const tampered = { ...sealed, ciphertext: flipBit(sealed.ciphertext, index) };
    expect(() => box.decrypt(tampered)).toThrow(SecretDecryptionError);
  });

  it('rejects a truncated value', () => {
    const box = new SecretBox([k0]);
    expect(() => box.decrypt({ keyId: 'k0', ciphertext: 'AAAA' })).toThrow(SecretDecryptionError);
  });

  it('rejects a ciphertext relabelled to another known key id', () => {
    const box = new SecretBox([k1, k0]);
    const sealed = box.encrypt(secret);
    expect(() => box.decrypt({ ...sealed, keyId: 'k0' })).toThrow(SecretDecryptionError);
  });

  it('after rotation encrypts with the new key and still decrypts with the old one', () => {
    const before = new SecretBox([k0]).encrypt(secret);
    const rotated = new SecretBox([k1, k0]);
    expect(rotated.decrypt(before)).toEqual(secret);
    expect(rotated.needsRotation(before)).toBe(true);
    const after = rotated.encrypt(secret);
    expect(after.keyId).toBe('k1');
    expect(rotated.needsRotation(after)).toBe(false);
    expect(() => new SecretBox([k0]).decrypt(after)).toThrow(UnknownSecretKeyError);
  });

  it('names the missing key id when a secret was sealed with a key no longer configured', () => {
    const sealed = new SecretBox([k0]).encrypt(secret);
    expect(() => new SecretBox([k1]).decrypt(sealed)).toThrow(/key "k0"/);
  });

  it('refuses keys that are not 32 bytes and duplicate ids', () => {
    expect(() => new SecretBox([{ id: 'short', key: randomBytes(16) }])).toThrow(/16 bytes/);
    expect(() => new SecretBox([k0, k0])).toThrow(/given twice/);
    expect(() => new SecretBox([])).toThrow(/at least one key/);
  });
});
