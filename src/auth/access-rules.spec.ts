import { describe, expect, it } from '@jest/globals';
import { Module, type DynamicModule, type ForwardReference, type Provider, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { APP_GUARD, MetadataScanner, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Query, Resolver, RESOLVER_NAME_METADATA, RESOLVER_TYPE_METADATA } from '@nestjs/graphql';
import { buildSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { AppModule } from '../app.module.js';
import { GatewayError } from '../common/gateway-error.js';
import { loadConfig } from '../config/load-config.js';
import { createRootLogger } from '../logging/logger.js';
import { ACCESS_RULE, RequireAnyKey, type AccessRule } from './access.decorators.js';
import type { ApiKeyService } from './api-key.service.js';
import { AuthGuard } from './auth.guard.js';
import { RequestAuthenticator } from './request-authenticator.js';
import { Scope } from './scopes.js';

// Walks the module graph the app is built from, the way Nest's resolver explorer does: every
// provider of every imported module, every method marked Query, Mutation or Subscription.
// A resolver added later, in any module, is found here without touching this spec.

type ModuleRef = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;
interface Operation {
  name: string;
  cls: Type;
  handler: (...args: unknown[]) => unknown;
  rule: AccessRule | undefined;
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

async function providersOf(root: ModuleRef): Promise<Provider[]> {
  const seen = new Set<unknown>();
  const providers: Provider[] = [];
  const visit = async (ref: ModuleRef | undefined): Promise<void> => {
    let m = await ref;
    if (m && typeof m === 'object' && 'forwardRef' in m) m = m.forwardRef() as Type | DynamicModule;
    if (!m || seen.has(m)) return;
    seen.add(m);
    const cls = typeof m === 'function' ? m : m.module;
    const dynamic = typeof m === 'function' ? null : m;
    providers.push(...((Reflect.getMetadata(MODULE_METADATA.PROVIDERS, cls) as Provider[] | undefined) ?? []), ...(dynamic?.providers ?? []));
    const imports = [...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, cls) as ModuleRef[] | undefined) ?? []), ...((dynamic?.imports ?? []) as ModuleRef[])];
    for (const imported of imports) await visit(imported);
  };
  await visit(root);
  return providers;
}

async function operationsOf(root: ModuleRef): Promise<Operation[]> {
  const reflector = new Reflector();
  const classes = new Set<Type>();
  for (const p of await providersOf(root)) {
    if (typeof p === 'function') classes.add(p);
    else if ('useClass' in p) classes.add(p.useClass);
  }
  const operations: Operation[] = [];
  for (const cls of classes) {
    const proto = cls.prototype as Record<string, (...args: unknown[]) => unknown>;
    for (const method of new MetadataScanner().getAllMethodNames(proto)) {
      const handler = proto[method];
      const type = Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) as string | undefined;
      if (!type || !ROOT_TYPES.has(type)) continue;
      const name = `${type}.${(Reflect.getMetadata(RESOLVER_NAME_METADATA, handler) as string | undefined) ?? method}`;
      operations.push({ name, cls, handler, rule: reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler, cls]) });
    }
  }
  return operations.sort((a, b) => a.name.localeCompare(b.name));
}

// Built once: the module is only read, never started (no database is reached).
const APP = AppModule.forRoot(loadConfig({}), 'postgres://unused@127.0.0.1:1/unused', createRootLogger('silent'));
const appModule = () => APP;

/** Root fields of the committed schema.graphql, as `Query.name` (CI keeps it equal to the code). */
function publishedOperations(): string[] {
  const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) =>
    t ? Object.keys(t.getFields()).map((f) => `${t.name}.${f}`) : [],
  );
}

function isWellFormed(rule: AccessRule): boolean {
  const scopeOk = rule.scope === null || (Object.values(Scope) as string[]).includes(rule.scope);
  const operatorOk = ['allowed', 'only', 'refused'].includes(rule.operator);
  // A partner is admitted only to rules that name the feed scope or none (public reference data).
  const partnerOk =
    rule.partner === undefined || (rule.partner === 'allowed' && (rule.scope === null || rule.scope === Scope.FEED_READ) && rule.operator !== 'only');
  // A rule that refuses the operator must name a scope: otherwise it admits every organization key by accident.
  return scopeOk && operatorOk && partnerOk && !(rule.operator === 'refused' && rule.scope === null) && !(rule.operator === 'only' && rule.scope !== null);
}

describe('access rules of every GraphQL operation', () => {
  it('installs the auth guard for the whole app', async () => {
    const guards = (await providersOf(appModule())).filter((p) => typeof p === 'object' && 'provide' in p && p.provide === APP_GUARD);
    expect(guards).toEqual([{ provide: APP_GUARD, useClass: AuthGuard }]);
  });

  it('finds a resolver in the app modules for every operation of the published schema', async () => {
    const found = (await operationsOf(appModule())).map((o) => o.name);
    const published = publishedOperations();
    expect(published.length).toBeGreaterThan(15);
    expect(published.filter((name) => !found.includes(name))).toEqual([]);
  });

  it('has every query, mutation and subscription declare a well-formed access rule', async () => {
    const operations = await operationsOf(appModule());
    expect(operations.map((o) => o.name)).toEqual(expect.arrayContaining(['Mutation.createOrganization', 'Query.miniPrograms', 'Query.hosts']));
    expect(operations.filter((o) => !o.rule).map((o) => o.name)).toEqual([]);
    expect(operations.filter((o) => o.rule && !isWellFormed(o.rule)).map((o) => `${o.name} ${JSON.stringify(o.rule)}`)).toEqual([]);
  });

  it('has the guard ask every operation for a key (none is open, none refused for want of a rule)', async () => {
    const guard = new AuthGuard(new Reflector(), new RequestAuthenticator({ resolve: async () => null } as unknown as ApiKeyService));
    const answers: Record<string, string> = {};
    for (const op of await operationsOf(appModule())) {
      const context = new ExecutionContextHost([{}, {}, { req: { headers: {} } }, {}], op.cls, op.handler);
      context.setType('graphql');
      answers[op.name] = await guard.canActivate(context).then(
        () => 'allowed',
        (err: unknown) => (err instanceof GatewayError ? err.code : String(err)),
      );
    }
    expect(Object.values(answers).length).toBeGreaterThan(15);
    expect(Object.entries(answers).filter(([, answer]) => answer !== 'UNAUTHENTICATED')).toEqual([]);
  });

  it('catches a resolver that forgot its rule, in any module of the graph', async () => {
    @Resolver()
    class ForgetfulResolver {
      @Query(() => String) forgotten() {
        return 'open';
      }
      @Query(() => String, { name: 'renamed' }) @RequireAnyKey() remembered() {
        return 'guarded';
      }
    }
    @Module({ providers: [ForgetfulResolver] })
    class FeatureModule {}
    @Module({ imports: [{ forwardRef: () => FeatureModule }] })
    class RootModule {}
    const operations = await operationsOf({ module: RootModule, imports: [Promise.resolve({ module: RootModule })] });
    expect(operations.map((o) => [o.name, o.rule ? 'rule' : 'none'])).toEqual([
      ['Query.forgotten', 'none'],
      ['Query.renamed', 'rule'],
    ]);
  });
});
