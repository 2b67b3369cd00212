import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallbacksModule } from './callbacks/callbacks.module.js';
import { ConfigModule } from './config/config.module.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { EventsModule } from './events/events.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { PublishingModule } from './publishing/publishing.module.js';
import { SyncModule } from './sync/sync.module.js';
import { ListingSyncModule } from './listing-sync/listing-sync.module.js';
import { VaultModule } from './vault/vault.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/** What `npm run worker` runs: the publishing, listing sync, inbox, sync and webhook workers, without the HTTP API. */
@Module({})
export class WorkerModule {
  static forRoot(config: GatewayConfig, databaseUrl: string): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.DATABASE_POOL_SIZE, config.MIGRATIONS_RUN)),
        VaultModule,
        JobsModule.forRoot(databaseUrl),
        HostsModule,
        EventsModule,
        PublishingModule,
        ListingSyncModule,
        CallbacksModule,
        SyncModule,
        WebhooksModule,
      ],
    };
  }
}
