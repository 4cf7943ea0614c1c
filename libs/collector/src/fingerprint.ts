import { createHash } from 'node:crypto';

/**
 * `SHA256:<base64, no padding>` of the SSH wire-format public key blob: exactly what
 * `ssh-keygen -l` and OpenSSH's "Host key fingerprint is" print, so operators can compare by eye.
 */
export function fingerprintOfKeyBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Fingerprint of an OpenSSH public key line (`ssh-ed25519 AAAA... comment`). */
export function fingerprintOfPublicKeyLine(line: string): string {
  const b64 = line.trim().split(/\s+/)[1];
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new Error('not an OpenSSH public key line');
  }
  return fingerprintOfKeyBlob(Buffer.from(b64, 'base64'));
}

/** Compares fingerprints as operators write them: the `SHA256:` prefix and padding are optional. */
export function sameFingerprint(a: string, b: string): boolean {
  const norm = (f: string) =>
    f
      .trim()
      .replace(/^SHA256:/i, '')
      .replace(/=+$/, '');
  return norm(a) === norm(b);
}

/** The algorithm name a key blob starts with (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
export function keyTypeOfBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return undefined;
  const type = blob.toString('latin1', 4, 4 + len);
  return /^[a-z0-9@.-]+$/.test(type) ? type : undefined;
}
