import { sameFingerprint } from './fingerprint';

export type HostKeyPolicyName = 'tofu' | 'pinned';

export interface HostKeySpec {
  readonly policy: HostKeyPolicyName;
  /** tofu: what was recorded at first contact (absent before it); pinned: the operator's value. */
  readonly fingerprint?: string | null;
}

export type HostKeyDecision =
  | { readonly accept: true; readonly firstUse: boolean }
  | { readonly accept: false; readonly expected: string };

/**
 * Decides whether a presented host key may be talked to. Runs inside ssh2's hostVerifier, i.e.
 * during key exchange, before any credential is sent.
 */
export function decideHostKey(spec: HostKeySpec, presented: string): HostKeyDecision {
  const expected = spec.fingerprint ?? undefined;
  if (expected === undefined || expected === '') {
    // A pinned host without a pin is refused by the caller before connecting; never trust here.
    if (spec.policy === 'pinned') return { accept: false, expected: '(no pinned fingerprint)' };
    return { accept: true, firstUse: true };
  }
  return sameFingerprint(expected, presented)
    ? { accept: true, firstUse: false }
    : { accept: false, expected };
}
