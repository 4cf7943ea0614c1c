import { Inject, Injectable } from '@nestjs/common';
import {
  HostNotFoundError,
  type CreateHostData,
  type HostRecord,
  type HostRepository,
  type UpdateHostData,
} from '@memfleet/db';
import { SecretBox } from '@memfleet/secrets';
import type { Logger } from 'pino';
import { RequestValidationError } from '../common/request-validation.error';
import { APP_LOGGER, HOST_REPOSITORY } from '../platform/tokens';
import { HostNotCollectableError } from './host.errors';
import { checkedHostId } from './host-id';
import { parseHostListQuery } from './host-list.query';
import { toHostResponse } from './host.mapper';
import { HostSchedulingService } from './host-scheduling.service';
import {
  type CreateHostInput,
  type HostAuth,
  type HostPageResponse,
  type HostResponse,
  type UpdateHostInput,
} from './host.schemas';

/** Host use cases: validate, load, decide, save, tell the scheduler. */
@Injectable()
export class HostsService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    private readonly secrets: SecretBox,
    private readonly scheduling: HostSchedulingService,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async create(input: CreateHostInput): Promise<HostResponse> {
    const host = await this.hosts.create({
      name: input.name,
      collection: input.collection,
      address: input.address ?? null,
      port: input.port,
      username: input.username ?? null,
      ...this.sealAuth(input.auth ?? null),
      useSudo: input.useSudo,
      labels: input.labels,
      intervalSeconds: input.intervalSeconds,
      enabled: input.enabled,
      hostKeyPolicy: input.hostKey.policy,
      hostKeyFingerprint: input.hostKey.fingerprint ?? null,
    });
    await this.notifyScheduler(host.id, () => this.scheduling.hostSaved(host));
    return toHostResponse(host);
  }

  async list(rawQuery: Record<string, unknown>): Promise<HostPageResponse> {
    const page = await this.hosts.list(parseHostListQuery(rawQuery));
    return {
      items: page.items.map(toHostResponse),
      total: page.total,
      nextCursor: page.nextCursor,
    };
  }

  async get(id: string): Promise<HostResponse> {
    return toHostResponse(await this.load(id));
  }

  async update(id: string, input: UpdateHostInput): Promise<HostResponse> {
    const current = await this.load(id);
    const patch: { -readonly [K in keyof UpdateHostData]: UpdateHostData[K] } = {
      name: input.name,
      collection: input.collection,
      address: input.address,
      port: input.port,
      username: input.username,
      useSudo: input.useSudo,
      labels: input.labels,
      intervalSeconds: input.intervalSeconds,
      enabled: input.enabled,
    };
    if (input.auth !== undefined) Object.assign(patch, this.sealAuth(input.auth));
    // A new host key policy starts over: pinned takes the given key, tofu learns the next one seen.
    if (input.hostKey !== undefined) {
      patch.hostKeyPolicy = input.hostKey.policy;
      patch.hostKeyFingerprint = input.hostKey.fingerprint ?? null;
    }
    assertCollectable({
      collection: patch.collection ?? current.collection,
      address: patch.address === undefined ? current.address : patch.address,
      username: patch.username === undefined ? current.username : patch.username,
      authSecret: patch.authSecret === undefined ? current.authSecret : patch.authSecret,
    });
    const host = await this.hosts.update(id, withoutUndefined(patch));
    await this.notifyScheduler(host.id, () => this.scheduling.hostSaved(host));
    return toHostResponse(host);
  }

  async delete(id: string): Promise<void> {
    await this.hosts.delete(checkedHostId(id));
    await this.notifyScheduler(id, () => this.scheduling.hostDeleted(id));
  }

  async collectNow(id: string, requestId?: string): Promise<{ jobId: string }> {
    const host = await this.load(id);
    if (host.collection === 'push') throw new HostNotCollectableError(id, 'push');
    if (!host.enabled) throw new HostNotCollectableError(id, 'disabled');
    return { jobId: await this.scheduling.collectNow(host.id, requestId) };
  }

  async trustHostKey(id: string): Promise<HostResponse> {
    const host = await this.hosts.trustPresentedHostKey(checkedHostId(id));
    return toHostResponse(host);
  }

  private async load(id: string): Promise<HostRecord> {
    const host = await this.hosts.findById(checkedHostId(id));
    if (!host) throw new HostNotFoundError(id);
    return host;
  }

  private sealAuth(auth: HostAuth | null): Pick<CreateHostData, 'authType' | 'authSecret'> {
    if (auth === null) return { authType: null, authSecret: null };
    const { type, ...secret } = auth;
    return { authType: type, authSecret: this.secrets.encrypt(secret) };
  }

  /**
   * The host is saved either way. A schedule we could not update is fixed by the worker's
   * periodic reconcile (every few minutes); failing the request would only invite a retry that
   * then meets a 409.
   */
  private async notifyScheduler(hostId: string, notify: () => Promise<void>): Promise<void> {
    try {
      await notify();
    } catch (err) {
      this.logger.error({ err, hostId }, 'host saved but its collection schedule was not updated');
    }
  }
}

function assertCollectable(host: {
  collection: string;
  address: string | null;
  username: string | null;
  authSecret: unknown;
}): void {
  if (host.collection !== 'ssh') return;
  const missing: { field: string; message: string }[] = (['address', 'username'] as const)
    .filter((f) => host[f] === null)
    .map((f) => ({ field: f, message: 'required for ssh collection' }));
  if (host.authSecret === null)
    missing.push({ field: 'auth', message: 'required for ssh collection' });
  if (missing.length > 0) throw new RequestValidationError(missing);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
