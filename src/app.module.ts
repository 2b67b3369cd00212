import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { createErrorFormatter } from './common/graphql-error-formatter.js';
import { createValidationPipe } from './common/validation.js';
import { ConfigModule } from './config/config.module.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { HealthModule } from './health/health.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { VaultModule } from './vault/vault.module.js';
import { EventsModule } from './events/events.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { PublishingModule } from './publishing/publishing.module.js';
import { CallbacksModule } from './callbacks/callbacks.module.js';
import { SyncModule } from './sync/sync.module.js';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, databaseUrl: string, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.DATABASE_POOL_SIZE, config.MIGRATIONS_RUN)),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          // The committed schema.graphql is written by `npm run schema:print`, not at every start.
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          introspection: config.playgroundEnabled,
          plugins: config.playgroundEnabled ? [ApolloServerPluginLandingPageLocalDefault({ embed: true })] : [],
          formatError: createErrorFormatter(config.exposeErrorDetails, (err) => logger.error({ err }, 'unexpected error in a GraphQL operation')),
        }),
        VaultModule,
        JobsModule.forRoot(databaseUrl),
        AuthModule,
        CatalogModule,
        HostsModule,
        EventsModule,
        PublishingModule,
        CallbacksModule,
        SyncModule,
        HealthModule,
      ],
      providers: [{ provide: APP_PIPE, useFactory: createValidationPipe }],
    };
  }
}
