import { createHash } from 'node:crypto';
import { openConnection, type SshConnection } from './ssh-connection';
import type { CollectTarget, CollectorOptions } from './types';

interface Entry {
  /** Hash of what the connection was opened with; a changed target gets a new connection. */
  readonly key: string;
  readonly conn: Promise<SshConnection>;
  inFlight: number;
  idleTimer?: NodeJS.Timeout;
  /** Set once connected, so a dead connection can be recognised without awaiting. */
  resolved?: SshConnection;
}

export interface Lease {
  readonly conn: SshConnection;
  /** true when this lease opened the connection (handshake time is part of the collection). */
  readonly fresh: boolean;
  readonly release: () => void;
}

type PoolOptions = Required<
  Pick<CollectorOptions, 'readyTimeoutMs' | 'keepaliveIntervalMs' | 'idleTimeoutMs'>
>;

/**
 * One persistent SSH connection per host. Entries are independent: no lock or queue spans hosts,
 * so a host that hangs costs only its own entry. Concurrent leases for one host share the
 * connection (SSH multiplexes channels) and its single in-progress handshake.
 */
export class ConnectionPool {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: PoolOptions) {}

  async acquire(target: CollectTarget): Promise<Lease> {
    const key = targetKey(target);
    let entry = this.entries.get(target.hostId);
    let fresh = false;
    if (entry && (entry.key !== key || entry.resolved?.closed())) {
      this.drop(target.hostId, entry);
      entry = undefined;
    }
    if (!entry) {
      entry = { key, conn: openConnection(target, this.opts), inFlight: 0 };
      fresh = true;
      this.entries.set(target.hostId, entry);
      const e = entry;
      e.conn.then(
        (c) => c.onClose(() => this.forget(target.hostId, e)),
        () => this.forget(target.hostId, e),
      );
    }
    clearTimeout(entry.idleTimer);
    entry.inFlight += 1;
    const e = entry;
    let conn: SshConnection;
    try {
      conn = await e.conn;
      e.resolved = conn;
    } catch (err) {
      e.inFlight -= 1;
      throw err;
    }
    let released = false;
    return {
      conn,
      fresh,
      release: () => {
        if (released) return;
        released = true;
        e.inFlight -= 1;
        if (e.inFlight === 0 && this.entries.get(target.hostId) === e) {
          e.idleTimer = setTimeout(() => this.drop(target.hostId, e), this.opts.idleTimeoutMs);
          e.idleTimer.unref();
        }
      },
    };
  }

  /** Closes the host's connection now (e.g. after a failure that leaves it suspect). */
  discard(hostId: string, conn: SshConnection): void {
    const entry = this.entries.get(hostId);
    conn.destroy();
    // Synchronously, so a retry right after this gets a new connection, not this one.
    if (entry && entry.resolved === conn) this.forget(hostId, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Ends every connection and waits (bounded) for their sockets to close. */
  async closeAll(timeoutMs = 5000): Promise<void> {
    const all = [...this.entries.entries()];
    const closed = all.map(([hostId, entry]) =>
      entry.conn.then(
        (c) =>
          new Promise<void>((resolve) => {
            c.onClose(resolve);
            this.drop(hostId, entry);
          }),
        () => undefined,
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    await Promise.race([Promise.all(closed), deadline]);
    clearTimeout(timer);
    for (const [, entry] of all)
      void entry.conn.then(
        (c) => c.destroy(),
        () => undefined,
      );
  }

  private drop(hostId: string, entry: Entry): void {
    this.forget(hostId, entry);
    void entry.conn.then(
      (c) => c.client.end(),
      () => undefined,
    );
  }

  private forget(hostId: string, entry: Entry): void {
    clearTimeout(entry.idleTimer);
    if (this.entries.get(hostId) === entry) this.entries.delete(hostId);
  }
}

function targetKey(t: CollectTarget): string {
  // Secrets go into a hash only, so the pool never keeps a readable copy beyond ssh2's own.
  const auth =
    t.auth.type === 'password'
      ? ['password', t.auth.password]
      : ['privateKey', t.auth.privateKey.toString(), t.auth.passphrase ?? ''];
  return createHash('sha256')
    .update(JSON.stringify([t.address, t.port, t.username, ...auth]))
    .digest('base64');
}
