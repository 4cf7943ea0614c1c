import { Inject, Injectable } from '@nestjs/common';
import {
  HostNotFoundError,
  type HostRepository,
  type PrismaFindingRepository,
  type StoredFinding,
} from '@memfleet/db';
import { checkedHostId } from '../hosts/host-id';
import { RequestValidationError } from '../common/request-validation.error';
import { HOST_REPOSITORY } from '../platform/tokens';
import type {
  FindingListResponse,
  FindingResponse,
  HostFindingsQueryInput,
} from './findings.schemas';
import { FINDING_REPOSITORY } from './findings.tokens';

const DAY_MS = 24 * 3600 * 1000;

@Injectable()
export class FindingsService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(FINDING_REPOSITORY) private readonly findings: PrismaFindingRepository,
  ) {}

  /** Findings of the host active at any time in [from, to] (default: the last 24 h). */
  async listForHost(hostId: string, q: HostFindingsQueryInput): Promise<FindingListResponse> {
    if (!(await this.hosts.findById(checkedHostId(hostId)))) throw new HostNotFoundError(hostId);
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
    if (from > to) {
      throw new RequestValidationError(
        [{ field: 'from', message: 'from must not be after to' }],
        'query',
      );
    }
    const items = await this.findings.listForHost(hostId, { from, to, kinds: q.kind });
    return { items: items.map(toFindingResponse) };
  }
}

export function toFindingResponse(f: StoredFinding): FindingResponse {
  return {
    id: f.id,
    kind: f.kind,
    severity: f.severity,
    subject: f.subject,
    startedAt: f.startedAt.toISOString(),
    endedAt: f.endedAt?.toISOString() ?? null,
    lastSeenAt: f.lastSeenAt.toISOString(),
    summary: f.summary,
    advice: f.advice,
    evidence: f.evidence.map((e) => ({ ...e })),
  };
}
