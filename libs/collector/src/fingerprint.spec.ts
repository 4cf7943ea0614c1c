import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import {
  fingerprintOfKeyBlob,
  fingerprintOfPublicKeyLine,
  keyTypeOfBlob,
  sameFingerprint,
} from './fingerprint';

describe('host key fingerprints', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'memfleet-fp-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['ed25519', 'ecdsa', 'rsa'])('match ssh-keygen -lf for a %s key', (type) => {
    const key = join(dir, `k_${type}`);
    execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', key]);
    const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], {
      encoding: 'utf8',
    });
    const expected = printed.split(' ')[1];
    expect(expected).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

    const pub = readFileSync(`${key}.pub`, 'utf8');
    expect(fingerprintOfPublicKeyLine(pub)).toBe(expected);
    const parsed = utils.parseKey(readFileSync(key));
    if (parsed instanceof Error) throw parsed;
    expect(fingerprintOfKeyBlob(parsed.getPublicSSH())).toBe(expected);
    expect(keyTypeOfBlob(parsed.getPublicSSH())).toBe(pub.split(' ')[0]);
  });

  it('name no key type for a blob that is not a key', () => {
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 200, 1, 2]))).toBeUndefined();
    expect(keyTypeOfBlob(Buffer.alloc(2))).toBeUndefined();
  });

  it('compare with or without prefix and padding', () => {
    expect(sameFingerprint('SHA256:abc', 'abc=')).toBe(true);
    expect(sameFingerprint('SHA256:abc', 'SHA256:abd')).toBe(false);
  });

  it('refuse a line that is not a public key', () => {
    expect(() => fingerprintOfPublicKeyLine('hello')).toThrow('not an OpenSSH public key line');
  });
});
