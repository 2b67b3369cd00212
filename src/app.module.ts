import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuthModule } from './auth/auth.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { createErrorFormatter } from './common/graphql-error-formatter.js';
import { GatewayExceptionFilter } from './common/http-errors.js';
import { jitQueryPlugin } from './common/jit-query.plugin.js';
import { createValidationPipe } from './common/validation.js';
import { ConfigModule } from './config/config.module.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { runPendingMigrations } from './database/run-migrations.js';
import { HealthModule } from './health/health.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { VaultModule } from './vault/vault.module.js';
import { EventsModule } from './events/events.module.js';
import { FeedModule } from './feed/feed.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { PublishingModule } from './publishing/publishing.module.js';
import { CallbacksModule } from './callbacks/callbacks.module.js';
import { SyncModule } from './sync/sync.module.js';
import { ListingSyncModule } from './listing-sync/listing-sync.module.js';
import { FeedLiveModule } from './feed-live/feed-live.module.js';
import { LiveConnections } from './feed-live/live-connections.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { describeRootTypes } from './schema/root-types.js';
import { LimitsModule } from './limits/limits.module.js';
import { queryShapeRules } from './limits/query-cost.js';
import { QueryLimitsPlugin } from './limits/query-limits.plugin.js';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, databaseUrl: string, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          // Every statement is cut at the request deadline, so none outlives the request it serves.
          useFactory: () => dataSourceOptions(databaseUrl, config.DATABASE_POOL_SIZE, false, config.REQUEST_TIMEOUT_MS),
          // Migrations first, on their own connection without that cut, saying what they applied.
          dataSourceFactory: async (options) => {
            if (config.MIGRATIONS_RUN) await runPendingMigrations(databaseUrl, (applied, msg) => logger.info({ applied }, msg));
            return new DataSource(options!).initialize();
          },
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [LimitsModule, FeedLiveModule],
          inject: [QueryLimitsPlugin, LiveConnections],
          useFactory: (limits: QueryLimitsPlugin, live: LiveConnections) => {
            const formatError = createErrorFormatter({
              exposeDetails: config.exposeErrorDetails,
              suggestions: config.playgroundEnabled,
              logClientError: (code, message) => logger.info({ code }, `client error: ${message}`),
              logFault: (err, code) =>
                logger.error({ err, code }, code === 'INTERNAL_SERVER_ERROR' ? 'unexpected error in a GraphQL operation' : `GraphQL operation failed: ${code}`),
            });
            return {
              // The committed schema.graphql is written by `npm run schema:print`, not at every start.
              autoSchemaFile: true,
              sortSchema: true,
              transformSchema: describeRootTypes,
              playground: false,
              introspection: config.playgroundEnabled,
              // The request deadline (src/limits) applies to field resolvers too.
              fieldResolverEnhancers: ['interceptors'],
              // A document over this many tokens is refused while it is parsed, before it is walked.
              parseOptions: { maxTokens: config.QUERY_MAX_TOKENS },
              validationRules: queryShapeRules({ maxAliases: config.QUERY_MAX_ALIASES, maxDepth: config.QUERY_MAX_DEPTH }),
              // Queries run compiled (jitQueryPlugin); no cache hints in this schema, so without the
              // default cache-control plugin Apollo does not wrap every field resolver.
              plugins: [
                limits,
                jitQueryPlugin(),
                ApolloServerPluginCacheControlDisabled(),
                ...(config.playgroundEnabled ? [ApolloServerPluginLandingPageLocalDefault({ embed: true })] : []),
              ],
              formatError,
              // Subscriptions over graphql-ws on the same port and path (src/feed-live).
              subscriptions: { 'graphql-ws': live.options(formatError) },
            };
          },
        }),
        VaultModule,
        JobsModule.forRoot(databaseUrl),
        AuthModule,
        LimitsModule,
        CatalogModule,
        HostsModule,
        EventsModule,
        PublishingModule,
        ListingSyncModule,
        CallbacksModule,
        SyncModule,
        FeedModule,
        FeedLiveModule,
        WebhooksModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: GatewayExceptionFilter },
      ],
    };
  }
}
