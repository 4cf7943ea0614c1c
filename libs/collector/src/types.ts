import type { SnapshotBundle } from '@memfleet/procfs';
import type { HostKeySpec } from './host-key-policy';

export type SshAuth =
  | {
      readonly type: 'privateKey';
      readonly privateKey: string | Buffer;
      readonly passphrase?: string;
    }
  | { readonly type: 'password'; readonly password: string };

export interface CollectTarget {
  /** Pool key and the name used in error messages. */
  readonly hostId: string;
  readonly address: string;
  readonly port: number;
  readonly username: string;
  readonly auth: SshAuth;
  /** Read /proc/slabinfo and /proc/pagetypeinfo through `sudo -n`. */
  readonly useSudo: boolean;
  readonly hostKey: HostKeySpec;
}

export interface CollectResult {
  readonly bundle: SnapshotBundle;
  /** Sections that could not be read, e.g. `/proc/slabinfo` -> `exit status 1: ... Permission denied`. */
  readonly sectionErrors: Record<string, string>;
  /** What the host presented: with `tofu` and no recorded key, the caller records this. */
  readonly hostKeyFingerprint: string;
  /** true when no key was recorded and this one was accepted on first use. */
  readonly hostKeyFirstUse: boolean;
  /** Wall time of the exec (plus connect when a new connection was needed). */
  readonly durationMs: number;
  /** Bytes of command output received. */
  readonly bytes: number;
  /** false when a pooled connection was reused. */
  readonly connected: boolean;
}

export interface CollectorOptions {
  /** SSH handshake + auth deadline (ssh2 readyTimeout). Default 10 s. */
  readonly readyTimeoutMs?: number;
  /** Deadline for the command to finish once started. Default 30 s. */
  readonly commandTimeoutMs?: number;
  /** Output cap; exceeding it closes the connection. Default 8 MiB. */
  readonly maxOutputBytes?: number;
  /** SSH keepalive on pooled connections. Default 15 s; 0 disables. */
  readonly keepaliveIntervalMs?: number;
  /** A pooled connection unused this long is closed. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

export const DEFAULT_COLLECTOR_OPTIONS: Required<CollectorOptions> = {
  readyTimeoutMs: 10_000,
  commandTimeoutMs: 30_000,
  maxOutputBytes: 8 * 1024 * 1024,
  keepaliveIntervalMs: 15_000,
  idleTimeoutMs: 60_000,
};
