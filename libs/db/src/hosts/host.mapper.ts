import type { Host, Prisma } from '../generated/prisma/client';
import type { CreateHostData, HostRecord, UpdateHostData } from './host.types';

/** Prisma row -> domain record. The only place that knows both shapes. */
export function toHostRecord(row: Host): HostRecord {
  return {
    id: row.id,
    name: row.name,
    collection: row.collection,
    address: row.address,
    port: row.port,
    username: row.username,
    authType: row.authType,
    authSecret:
      row.authSecretKeyId !== null && row.authSecretCiphertext !== null
        ? { keyId: row.authSecretKeyId, ciphertext: row.authSecretCiphertext }
        : null,
    useSudo: row.useSudo,
    labels: toLabels(row.labels),
    intervalSeconds: row.intervalSeconds,
    enabled: row.enabled,
    hostKeyPolicy: row.hostKeyPolicy,
    hostKeyFingerprint: row.hostKeyFingerprint,
    presentedHostKeyFingerprint: row.presentedHostKeyFingerprint,
    state: row.state,
    lastSuccessAt: row.lastSuccessAt,
    lastAttemptAt: row.lastAttemptAt,
    lastError: row.lastError,
    consecutiveFailures: row.consecutiveFailures,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Labels are written only as string maps; anything else in the column is dropped, not trusted. */
function toLabels(json: Prisma.JsonValue): Readonly<Record<string, string>> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function toCreateInput(d: CreateHostData): Prisma.HostCreateInput {
  return {
    name: d.name,
    collection: d.collection,
    address: d.address,
    port: d.port,
    username: d.username,
    authType: d.authType,
    authSecretKeyId: d.authSecret?.keyId ?? null,
    authSecretCiphertext: d.authSecret?.ciphertext ?? null,
    useSudo: d.useSudo,
    labels: { ...d.labels },
    intervalSeconds: d.intervalSeconds,
    enabled: d.enabled,
    hostKeyPolicy: d.hostKeyPolicy,
    hostKeyFingerprint: d.hostKeyFingerprint,
  };
}

/** Only the fields present in `d` change; `authSecret: null` clears the stored secret. */
export function toUpdateInput(d: UpdateHostData): Prisma.HostUpdateInput {
  const { authSecret, labels, ...plain } = d;
  const input: Prisma.HostUpdateInput = { ...plain };
  if (labels !== undefined) input.labels = { ...labels };
  if (authSecret !== undefined) {
    input.authSecretKeyId = authSecret?.keyId ?? null;
    input.authSecretCiphertext = authSecret?.ciphertext ?? null;
  }
  return input;
}
