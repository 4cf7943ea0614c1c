export { loadConfig, ConfigError } from './config';
export type {
  AppConfig,
  CollectorLimits,
  ConfigIssue,
  WorkerSettings,
  MetricsSettings,
} from './config';
export { envSchema, ENV_KEYS } from './config.schema';
export type { EnvKey, LogLevel, SecretKey } from './config.schema';
export { ConfigModule, APP_CONFIG } from './config.module';
