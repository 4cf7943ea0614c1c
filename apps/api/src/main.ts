import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from '@memfleet/config';
import { createApp } from './create-app';
import { createLogger } from './platform/logger';

/** Boot: validate the environment first, so a bad deployment stops before anything connects. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`memfleet-api: ${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger(config.logLevel);
  try {
    const app = await createApp(config, logger);
    await app.listen(config.port);
    logger.info({ port: config.port }, 'memfleet api listening');
  } catch (err) {
    logger.fatal({ err }, 'memfleet api failed to start');
    process.exit(1);
  }
}

void main();
