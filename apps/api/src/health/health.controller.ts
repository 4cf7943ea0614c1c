import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiJsonResponse, ApiProblems } from '../platform/openapi';
import { HealthService } from './health.service';

const liveSchema = z.object({ status: z.literal('ok') });
const readySchema = z.object({
  status: z.literal('ok'),
  checks: z.object({ database: z.literal('ok'), queue: z.literal('ok') }),
});

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness only: the process is up and serving. It must not depend on Postgres or Redis. */
  @Get('live')
  @ApiJsonResponse(200, 'Live', liveSchema, 'The process is serving requests')
  live(): z.infer<typeof liveSchema> {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiJsonResponse(200, 'Ready', readySchema, 'Postgres and Redis answer')
  @ApiProblems(503)
  ready(): Promise<z.infer<typeof readySchema>> {
    return this.health.ready();
  }
}
