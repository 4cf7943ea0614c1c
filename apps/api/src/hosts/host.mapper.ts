import type { HostRecord } from '@memfleet/db';
import type { HostResponse } from './host.schemas';

/** The only way a host leaves the API: the ciphertext stays behind, only its kind shows. */
export function toHostResponse(host: HostRecord): HostResponse {
  const hasSecret = host.authSecret !== null;
  return {
    id: host.id,
    name: host.name,
    collection: host.collection,
    address: host.address,
    port: host.port,
    username: host.username,
    useSudo: host.useSudo,
    labels: { ...host.labels },
    intervalSeconds: host.intervalSeconds,
    enabled: host.enabled,
    hostKey: { policy: host.hostKeyPolicy, fingerprint: host.hostKeyFingerprint },
    state: host.state,
    lastSuccessAt: host.lastSuccessAt?.toISOString() ?? null,
    lastError: host.lastError,
    consecutiveFailures: host.consecutiveFailures,
    hasPrivateKey: hasSecret && host.authType === 'privateKey',
    hasPassword: hasSecret && host.authType === 'password',
    createdAt: host.createdAt.toISOString(),
    updatedAt: host.updatedAt.toISOString(),
  };
}
