import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@memfleet/config';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { ProblemFilter } from './common/problem.filter';
import { createHttpLogger } from './platform/logger';
import { mountOpenApi } from './platform/openapi';
import { NestPinoLogger } from '@memfleet/logging';

export const API_PREFIX = 'api/v1';

/**
 * Builds the HTTP app exactly as production runs it; main.ts listens on the configured port,
 * integration tests on an ephemeral one.
 */
export async function createApp(config: AppConfig, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    // Our own JSON parser below: one size limit, and no urlencoded bodies nobody sends.
    bodyParser: false,
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  app.use(createHttpLogger(logger));
  app.use(securityHeaders());
  app.useBodyParser('json', { limit: config.maxBundleBytes });
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  app.useGlobalFilters(new ProblemFilter(logger));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.enableShutdownHooks();
  mountOpenApi(app);
  try {
    await app.init();
  } catch (error) {
    // Release what did start (Redis, the pg pool) so a failed boot leaves nothing running.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/**
 * helmet's defaults (CSP, nosniff, frame-ancestors, HSTS, ...) except upgrade-insecure-requests:
 * the API is often reached over plain HTTP inside a network, where that directive makes browsers
 * fetch Swagger UI's scripts and openapi.json over https and fail. Swagger UI needs nothing else:
 * its scripts and styles come from 'self', and helmet's style-src allows its inline styles.
 */
function securityHeaders() {
  return helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
}
