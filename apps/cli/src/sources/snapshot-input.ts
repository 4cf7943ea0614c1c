import type { SnapshotBundle } from '@memfleet/procfs';

/**
 * A bundle plus what the CLI learnt while building it. The bundle format can only say "this
 * file is absent"; the reader knows why (permission denied, no such file, ps not installed), and
 * that reason is what the user needs to see.
 */
export interface SnapshotInput {
  readonly bundle: SnapshotBundle;
  /** Why a bundle path is absent, keyed by bundle path (`/proc/slabinfo`) or `ps`. */
  readonly missing: ReadonlyMap<string, string>;
  /** Facts about how the snapshot was taken that change how to read it (assumed page size). */
  readonly notes: readonly string[];
  /** Where a bundle path really came from, for messages: `/srv/sos/proc/meminfo`. */
  readonly displayName: (bundlePath: string) => string;
}
