import { Global, Module } from '@nestjs/common';
import { GatewayConfig } from './gateway-config.js';

/** Makes the one validated GatewayConfig injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: GatewayConfig) {
    return { module: ConfigModule, providers: [{ provide: GatewayConfig, useValue: config }], exports: [GatewayConfig] };
  }
}
