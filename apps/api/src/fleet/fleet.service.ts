import { Inject, Injectable } from '@nestjs/common';
import type { PrismaFleetRepository } from '@memfleet/db';
import type {
  FleetFindingsQueryInput,
  FleetFragmentationQueryInput,
  FleetTunablesQueryInput,
} from './fleet.schemas';

export const FLEET_REPOSITORY = Symbol('FLEET_REPOSITORY');

/** Fleet views: each one query of libs/db over the per-host latest rows or open findings. */
@Injectable()
export class FleetService {
  constructor(@Inject(FLEET_REPOSITORY) private readonly fleet: PrismaFleetRepository) {}

  async fragmentation(q: FleetFragmentationQueryInput) {
    const rows = await this.fleet.fragmentation({
      order: q.order,
      zone: q.zone,
      labels: q.label,
      limit: q.limit,
    });
    return {
      items: rows.map((r) => ({
        ...r,
        collectedAt: r.collectedAt.toISOString(),
        fragmentedSince: r.fragmentedSince?.toISOString() ?? null,
      })),
    };
  }

  async findings(q: FleetFindingsQueryInput) {
    const rows = await this.fleet.findings({ kinds: q.kind, labels: q.label, limit: q.limit });
    return {
      items: rows.map((h) => ({
        ...h,
        findings: h.findings.map((f) => ({ ...f, startedAt: f.startedAt.toISOString() })),
      })),
    };
  }

  async summary() {
    const s = await this.fleet.summary();
    return {
      ...s,
      topHostsByKind: s.topHostsByKind.map((k) => ({
        kind: k.kind,
        hosts: k.hosts.map((h) => ({ ...h, startedAt: h.startedAt.toISOString() })),
      })),
    };
  }

  async tunables(q: FleetTunablesQueryInput) {
    return { items: await this.fleet.tunables(q.label) };
  }
}
