import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '@memfleet/config';
import { createLogger, PinoNestLogger } from './logger';
import { loadWorkerConfig } from './worker.config';
import { WorkerModule } from './worker.module';

/**
 * Boots the worker without an HTTP server. Config is parsed before Nest starts, so a bad
 * environment exits with every problem listed and nothing connected. SIGTERM/SIGINT run Nest's
 * shutdown hooks: stop taking jobs, finish the ones in flight, close SSH, Redis and the database.
 */
async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadWorkerConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
