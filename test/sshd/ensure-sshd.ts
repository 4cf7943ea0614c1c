import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Connection facts of the loopback sshd pair that scripts/ci/sshd.sh starts. */
export interface SshdFacts {
  readonly host: string;
  readonly port: number;
  /** Same user and keys, different host key. */
  readonly altPort: number;
  readonly username: string;
  readonly password: string;
  readonly privateKey: Buffer;
  readonly passphraseKey: Buffer;
  readonly passphrase: string;
  readonly hostKeyFingerprint: string;
  readonly altHostKeyFingerprint: string;
  readonly logFile: string;
  readonly altLogFile: string;
}

const ENV_FILE = `${process.env.MEMFLEET_SSHD_DIR ?? '/tmp/memfleet-sshd'}/env`;

/**
 * Runs the (idempotent) sshd script, so `npx jest` works on a machine where CI never ran, and
 * reads the facts it wrote. Call from beforeAll; it takes well under a second when sshd is up.
 */
export function ensureSshd(): SshdFacts {
  execFileSync('bash', [resolve(__dirname, '../../scripts/ci/sshd.sh')], {
    stdio: 'pipe',
    timeout: 300_000,
  });
  const env = new Map(
    readFileSync(ENV_FILE, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
  const get = (k: string) => {
    const v = env.get(k);
    if (!v) throw new Error(`${ENV_FILE} lacks ${k}`);
    return v;
  };
  return {
    host: get('MEMFLEET_SSHD_HOST'),
    port: Number(get('MEMFLEET_SSHD_PORT')),
    altPort: Number(get('MEMFLEET_SSHD_PORT_ALT')),
    username: get('MEMFLEET_SSHD_USER'),
    password: readFileSync(get('MEMFLEET_SSHD_PASSWORD_FILE'), 'utf8').trim(),
    privateKey: readFileSync(get('MEMFLEET_SSHD_KEY')),
    passphraseKey: readFileSync(get('MEMFLEET_SSHD_KEY_PASS')),
    passphrase: readFileSync(get('MEMFLEET_SSHD_PASSPHRASE_FILE'), 'utf8').trim(),
    hostKeyFingerprint: get('MEMFLEET_SSHD_HOSTKEY_FP'),
    altHostKeyFingerprint: get('MEMFLEET_SSHD_HOSTKEY_FP_ALT'),
    logFile: get('MEMFLEET_SSHD_LOG'),
    altLogFile: get('MEMFLEET_SSHD_LOG_ALT'),
  };
}
