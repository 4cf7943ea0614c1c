import { Injectable } from '@nestjs/common';
import { DatabaseUnavailableError, PrismaClient } from '@memfleet/db';
import { HostSchedulingService } from '../hosts/host-scheduling.service';

/** Readiness: can this instance do its job right now? Postgres, then the collect queue. */
@Injectable()
export class HealthService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly scheduling: HostSchedulingService,
  ) {}

  async ready(): Promise<{ status: 'ok'; checks: { database: 'ok'; queue: 'ok' } }> {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
    } catch {
      throw new DatabaseUnavailableError('the database does not answer');
    }
    await this.scheduling.ping(); // QueueUnavailableError -> 503
    return { status: 'ok', checks: { database: 'ok', queue: 'ok' } };
  }
}
