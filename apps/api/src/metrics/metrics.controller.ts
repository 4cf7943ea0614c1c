import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrape endpoint, outside /api/v1 like /health: it is for the monitoring system, not
 * an API resource, so the OpenAPI document leaves it out.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    if (!this.metrics.authorized(authorization)) {
      res.setHeader('www-authenticate', 'Bearer');
      // The problem filter renders it as a 401 problem+json.
      throw new UnauthorizedException('/metrics requires Authorization: Bearer <token>');
    }
    const { contentType, text } = await this.metrics.render();
    res.setHeader('content-type', contentType);
    return text;
  }
}
