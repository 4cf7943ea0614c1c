import { Inject, Injectable } from '@nestjs/common';
import { computeAccounting } from '@memfleet/analysis';
import {
  SnapshotNotFoundError,
  type HostRepository,
  type PrismaSeriesRepository,
  type ProcessSummary,
} from '@memfleet/db';
import type { ProcessList, ProcessMemory } from '@memfleet/procfs';
import { HOST_REPOSITORY } from '../platform/tokens';
import { requireHost } from './host-guard';
import type { AccountingQuery, AccountingResponse } from './trends.schemas';
import { SERIES_REPOSITORY } from './trends.tokens';

/**
 * Storage keeps of `ps` the top processes, the RSS sum and the count. computeAccounting needs
 * only the sum and the count of a process list, so this list (the top ones, one entry carrying
 * the rest of the sum, zero-RSS entries up to the count) gives exactly the accounting of the
 * full list that was collected.
 */
export function processListOf(summary: ProcessSummary): ProcessList {
  const processes: ProcessMemory[] = [...summary.top];
  const rest = summary.rssSumBytes - summary.top.reduce((s, p) => s + p.rssBytes, 0);
  if (summary.count > processes.length)
    processes.push({ pid: -1, rssBytes: rest, comm: '(others)' });
  while (processes.length < summary.count) processes.push({ pid: -1, rssBytes: 0, comm: '' });
  return { processes };
}

/** The free-vs-ps breakdown of one stored snapshot, as `memfleet inspect` computes it. */
@Injectable()
export class AccountingService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(SERIES_REPOSITORY) private readonly series: PrismaSeriesRepository,
  ) {}

  async accounting(id: string, query: AccountingQuery): Promise<AccountingResponse> {
    const hostId = await requireHost(this.hosts, id);
    const at = query.at === undefined ? undefined : new Date(query.at);
    const snap = await this.series.nearest(hostId, at);
    if (!snap) throw new SnapshotNotFoundError(at ? `nearest ${at.toISOString()}` : 'latest');
    const { meminfo, processes } = snap.content;
    const ps = processes.kind === 'ok' ? processes.value : undefined;
    const accounting =
      meminfo.kind === 'ok'
        ? computeAccounting(meminfo.value, ps ? processListOf(ps) : undefined)
        : null;
    return {
      hostId,
      snapshotId: snap.id,
      collectedAt: snap.collectedAt.toISOString(),
      accounting: accounting && {
        ...accounting,
        gap: { ...accounting.gap, notes: [...accounting.gap.notes] },
      },
      topProcesses: ps ? ps.top.map((p) => ({ ...p })) : [],
    };
  }
}
