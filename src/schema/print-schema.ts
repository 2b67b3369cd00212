import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuthResolver } from '../auth/auth.resolver.js';
import { FeedResolver } from '../feed/feed.resolver.js';
import { CatalogResolver } from '../catalog/catalog.resolver.js';
import { BindingsResolver } from '../hosts/bindings.resolver.js';
import { HostsResolver } from '../hosts/hosts.resolver.js';
import { ListingSyncResolver } from '../listing-sync/listing-sync.resolver.js';
import { FeedLiveResolver } from '../feed-live/feed-live.resolver.js';
import { PartnersResolver } from '../partners/partners.resolver.js';
import { MiniProgramPublishingResolver, PublishingResolver } from '../publishing/publishing.resolver.js';
import { WebhooksResolver } from '../webhooks/webhooks.resolver.js';
import { describeRootTypes } from './root-types.js';

// Every resolver class of the API; the schema is built from these without a database.
export const RESOLVERS = [
  AuthResolver,
  PartnersResolver,
  CatalogResolver,
  HostsResolver,
  BindingsResolver,
  PublishingResolver,
  MiniProgramPublishingResolver,
  FeedResolver,
  FeedLiveResolver,
  WebhooksResolver,
  ListingSyncResolver,
];

export async function renderSchema(): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS);
    return `${printSchema(lexicographicSortSchema(describeRootTypes(schema)))}\n`;
  } finally {
    await app.close();
  }
}

// `--check` fails when schema.graphql differs from the code (CI drift check); otherwise writes it.
async function main(): Promise<void> {
  const file = join(process.cwd(), 'schema.graphql');
  const header = '# Generated from the code by `npm run schema:print`. Do not edit.\n\n';
  const rendered = header + (await renderSchema());
  if (process.argv.includes('--check')) {
    const committed = await readFile(file, 'utf8').catch(() => '');
    if (committed !== rendered) {
      console.error('schema.graphql differs from the code: run `npm run schema:print` and commit the result');
      process.exit(1);
    }
    console.log('schema.graphql matches the code');
    return;
  }
  await writeFile(file, rendered);
  console.log(`wrote ${file}`);
}

// Run as a script only; specs import renderSchema and RESOLVERS.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? `${err.message}\n${JSON.stringify((err as { details?: unknown }).details ?? '', null, 1)}` : err);
    process.exit(1);
  });
}
