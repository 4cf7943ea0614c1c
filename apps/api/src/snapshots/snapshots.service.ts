import { Inject, Injectable } from '@nestjs/common';
import {
  HostNotFoundError,
  snapshotToJson,
  type FindingsUpdater,
  type HostRepository,
  type PrismaSnapshotRepository,
  type SnapshotSummary,
} from '@memfleet/db';
import { parseBundle, type SnapshotBundle } from '@memfleet/procfs';
import { checkedHostId } from '../hosts/host-id';
import { FINDINGS_UPDATER } from '../findings/findings.tokens';
import { HOST_REPOSITORY, SNAPSHOT_REPOSITORY } from '../platform/tokens';
import { assertPushable, pushedHealth } from './push-bundle';
import type {
  SnapshotDetailResponse,
  SnapshotListQueryInput,
  SnapshotPageResponse,
  SnapshotSummaryResponse,
} from './snapshot.schemas';

export type SnapshotRepository = Pick<PrismaSnapshotRepository, 'ingest' | 'list' | 'get'>;

export interface IngestResponse {
  readonly created: boolean;
  readonly snapshot: SnapshotSummaryResponse;
}

/** Snapshot use cases: push ingest (the worker's parse-and-store path), list, read one. */
@Injectable()
export class SnapshotsService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(SNAPSHOT_REPOSITORY) private readonly snapshots: SnapshotRepository,
    @Inject(FINDINGS_UPDATER) private readonly findings: Pick<FindingsUpdater, 'afterIngest'>,
  ) {}

  async ingest(hostId: string, bundle: SnapshotBundle): Promise<IngestResponse> {
    const host = await this.hosts.findById(checkedHostId(hostId));
    if (!host) throw new HostNotFoundError(hostId);
    const parsed = parseBundle(bundle);
    const collectedAt = assertPushable(bundle, parsed);
    const receivedAt = new Date();
    const { created } = await this.snapshots.ingest(hostId, parsed, { receivedAt });
    // Also on a retry (created=false): the first attempt may have failed right here.
    await this.findings.afterIngest(hostId, parsed, collectedAt);
    // An import into an ssh host must not overwrite what the worker learnt about reaching it.
    if (created && host.collection === 'push') {
      await this.hosts.recordCollection(hostId, { at: receivedAt, ...pushedHealth(parsed) });
    }
    // Read back through the summary columns: a retry answers with what was stored first.
    const stored = await this.snapshots.list(hostId, {
      from: collectedAt,
      to: collectedAt,
      limit: 1,
    });
    const [summary] = stored.items;
    if (!summary) throw new Error(`snapshot of host ${hostId} at ${bundle.collectedAt} vanished`);
    return { created, snapshot: toSummaryResponse(summary) };
  }

  async list(hostId: string, query: SnapshotListQueryInput): Promise<SnapshotPageResponse> {
    if (!(await this.hosts.findById(checkedHostId(hostId)))) throw new HostNotFoundError(hostId);
    const page = await this.snapshots.list(hostId, {
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      limit: query.limit,
      cursor: query.cursor,
    });
    return {
      items: page.items.map(toSummaryResponse),
      total: page.total,
      nextCursor: page.nextCursor,
    };
  }

  async get(hostId: string, snapshotId: string): Promise<SnapshotDetailResponse> {
    // Throws SnapshotNotFoundError, also for a snapshot of another host.
    const json = snapshotToJson(await this.snapshots.get(checkedHostId(hostId), snapshotId));
    return { ...json, missingSections: [...json.missingSections] };
  }
}

function toSummaryResponse(s: SnapshotSummary): SnapshotSummaryResponse {
  return {
    ...s,
    missingSections: [...s.missingSections],
    collectedAt: s.collectedAt.toISOString(),
    receivedAt: s.receivedAt.toISOString(),
  };
}
