import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiJsonResponse } from '../platform/openapi';

const liveSchema = z.object({ status: z.literal('ok') });

/** Liveness only: the process is up and serving. It must not depend on Postgres or Redis. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  @Get('live')
  @ApiJsonResponse(200, 'Live', liveSchema, 'The process is serving requests')
  live(): z.infer<typeof liveSchema> {
    return { status: 'ok' };
  }
}
