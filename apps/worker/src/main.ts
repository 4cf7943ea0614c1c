import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@memfleet/config';
import { NestPinoLogger } from '@memfleet/logging';
import { createLogger } from './logger';
import { WorkerModule } from './worker.module';

/**
 * Boots the worker without an HTTP server. Config is parsed before Nest starts, so a bad
 * environment exits with every problem listed and nothing connected. SIGTERM/SIGINT: stop taking
 * jobs, finish the ones in flight, close SSH, Redis and the database, exit 0.
 */
async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), {
    logger: new NestPinoLogger(logger, 'info'),
    abortOnError: false,
  });
  // app.close() runs the shutdown hooks in order; exiting 0 afterwards tells the orchestrator the
  // stop was clean (Nest's enableShutdownHooks re-raises the signal instead).
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutdown requested');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'unclean shutdown',
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
