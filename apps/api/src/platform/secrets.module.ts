import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@memfleet/config';
import { SecretBox } from '@memfleet/secrets';

@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SecretBox(config.secretKeys),
    },
  ],
  exports: [SecretBox],
})
export class SecretsModule {}
