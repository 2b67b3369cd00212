import { Global, Logger, Module } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { loadKeyRing } from './secret-keys.js';
import { Vault } from './vault.js';

/** The process's one Vault (keys from SECRETS_KEY, SECRETS_KEY_PREVIOUS, or the development key). */
@Global()
@Module({
  providers: [
    {
      provide: Vault,
      inject: [GatewayConfig],
      useFactory: async (config: GatewayConfig) => {
        const vault = new Vault(await loadKeyRing(config));
        if (vault.usesDevelopmentKey) {
          new Logger('Vault').warn(`no SECRETS_KEY: host credentials are encrypted with a development key kept in ${config.DATA_DIR}/secrets.key`);
        }
        return vault;
      },
    },
  ],
  exports: [Vault],
})
export class VaultModule {}
