/**
 * Domain types of a registered host, as the repositories return them. No Prisma type leaves
 * libs/db: callers see these.
 */
export type CollectionMode = 'ssh' | 'push';

export type HostState =
  'never_collected' | 'ok' | 'degraded' | 'unreachable' | 'auth_failed' | 'host_key_mismatch';

export type HostKeyPolicy = 'tofu' | 'pinned';

/** Secrets are stored only as ciphertext produced by libs/secrets (AES-256-GCM with a key id). */
export interface EncryptedSecret {
  readonly keyId: string;
  /** base64 of iv || ciphertext || tag, as libs/secrets writes it. */
  readonly ciphertext: string;
}

export interface HostRecord {
  readonly id: string;
  readonly name: string;
  readonly collection: CollectionMode;
  readonly address: string | null;
  readonly port: number;
  readonly username: string | null;
  readonly authType: 'privateKey' | 'password' | null;
  /** Encrypted JSON of the auth secrets ({ privateKey, passphrase? } or { password }). */
  readonly authSecret: EncryptedSecret | null;
  readonly useSudo: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly intervalSeconds: number;
  readonly enabled: boolean;
  readonly hostKeyPolicy: HostKeyPolicy;
  /** For `pinned`: the fingerprint the operator gave. For `tofu`: what was seen first. */
  readonly hostKeyFingerprint: string | null;
  /** The fingerprint presented at the last mismatch, which trust-host-key accepts. */
  readonly presentedHostKeyFingerprint: string | null;
  readonly state: HostState;
  readonly lastSuccessAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What an operator sets; state, timestamps and the presented key are the collector's. */
export type CreateHostData = Pick<
  HostRecord,
  | 'name'
  | 'collection'
  | 'address'
  | 'port'
  | 'username'
  | 'authType'
  | 'authSecret'
  | 'useSudo'
  | 'labels'
  | 'intervalSeconds'
  | 'enabled'
  | 'hostKeyPolicy'
  | 'hostKeyFingerprint'
>;

export type UpdateHostData = Partial<CreateHostData>;

export interface HostListQuery {
  /** Every label given must match exactly. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly state?: HostState;
  readonly limit: number;
  /** Opaque cursor from the previous page. */
  readonly cursor?: string;
}

export interface HostPage {
  readonly items: readonly HostRecord[];
  readonly total: number;
  readonly nextCursor: string | null;
}

/** What one collection attempt did to the host's state. */
export interface CollectionOutcome {
  readonly at: Date;
  readonly state: Exclude<HostState, 'never_collected'>;
  /** null on success; a one-line reason otherwise (never a secret). */
  readonly error: string | null;
  /** Set when TOFU records the first key, or to record the key presented at a mismatch. */
  readonly seenHostKeyFingerprint?: string;
}

/** Repository contract implemented in libs/db (Prisma) and consumed by the API and the worker. */
export interface HostRepository {
  create(data: CreateHostData): Promise<HostRecord>; // throws HostNameTakenError on duplicate name
  findById(id: string): Promise<HostRecord | null>;
  list(query: HostListQuery): Promise<HostPage>;
  update(id: string, data: UpdateHostData): Promise<HostRecord>; // HostNotFoundError, HostNameTakenError
  delete(id: string): Promise<void>; // HostNotFoundError
  /** Every enabled ssh host: what the scheduler reconciles against. */
  listSchedulable(): Promise<readonly HostRecord[]>;
  recordCollection(id: string, outcome: CollectionOutcome): Promise<HostRecord>;
  /** Accept presentedHostKeyFingerprint as the host key and clear host_key_mismatch. */
  trustPresentedHostKey(id: string): Promise<HostRecord>; // HostNotFoundError, NoPresentedHostKeyError
}
