import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { FindOperator, type DataSource, type Repository } from 'typeorm';
import { GatewayError } from '../common/gateway-error.js';
import { loadConfig } from '../config/load-config.js';
import { hashApiKey } from './api-key.codec.js';
import type { ApiKeyEntity } from './api-key.entity.js';
import { ApiKeyService } from './api-key.service.js';
import type { KeyUsageRecorder } from './key-usage.recorder.js';
import type { PartnerService } from '../partners/partner.service.js';
import type { NotificationListener } from '../events/notification-listener.js';
import type { OrganizationEntity } from './organization.entity.js';
import { OrganizationService } from './organization.service.js';
import type { Principal } from './principal.js';
import { Scope } from './scopes.js';

// The services over repositories that keep rows in memory and honour `where` exactly as
// TypeORM's find options read (equality, IsNull()), so the tenant filters are checked here;
// test/tenant-isolation.e2e-spec.ts checks the same on PostgreSQL through the API.
type Row = Record<string, unknown> & { id: string };

function matches(row: Row, where: Record<string, unknown>): boolean {
  return Object.entries(where).every(([k, v]) => {
    if (v instanceof FindOperator) {
      if (v.type !== 'isNull') throw new Error(`operator ${v.type} not understood`);
      return row[k] === null;
    }
    return row[k] === v;
  });
}

class MemoryRepository<T extends Row> {
  readonly rows: T[] = [];
  readonly saves: T[] = [];
  readonly updates: Array<{ set: Record<string, unknown>; where: Array<[string, unknown]> }> = [];
  failUpdates = false;
  private sequence = 0;

  create(values: Partial<T>): T {
    return { ...values } as T;
  }

  async save(entity: T): Promise<T> {
    const row = {
      ...entity,
      id: entity.id ?? `00000000-0000-4000-8000-${String(++this.sequence).padStart(12, '0')}`,
      createdAt: entity.createdAt ?? new Date(),
    };
    this.rows.splice(0, this.rows.length, ...this.rows.filter((r) => r.id !== row.id), row);
    this.saves.push(row);
    return { ...row };
  }

  async findOne(options: { where: Record<string, unknown> }): Promise<T | null> {
    const row = this.rows.find((r) => matches(r, options.where));
    return row ? { ...row } : null;
  }

  async findOneBy(where: Record<string, unknown>): Promise<T | null> {
    return this.findOne({ where });
  }

  async existsBy(where: Record<string, unknown>): Promise<boolean> {
    return this.rows.some((r) => matches(r, where));
  }

  async find(options: { where: Record<string, unknown>; order: Record<string, 'ASC' | 'DESC'> }): Promise<T[]> {
    expect(options.order).toEqual({ createdAt: 'ASC', id: 'ASC' });
    return this.rows
      .filter((r) => matches(r, options.where))
      .sort((a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime() || a.id.localeCompare(b.id))
      .map((r) => ({ ...r }));
  }

  createQueryBuilder() {
    const update = { set: {} as Record<string, unknown>, where: [] as Array<[string, unknown]> };
    const qb = {
      update: () => qb,
      set: (values: Record<string, unknown>) => ((update.set = values), qb),
      where: (sql: string, params: unknown) => (update.where.push([sql, params]), qb),
      andWhere: (sql: string) => (update.where.push([sql, undefined]), qb),
      execute: async () => {
        this.updates.push(update);
        if (this.failUpdates) throw new Error('connection lost');
        return { affected: 1 };
      },
    };
    return qb;
  }
}

const ORG_A = '0000000a-0000-4000-8000-000000000000';
const ORG_B = '0000000b-0000-4000-8000-000000000000';
const OPERATOR_KEY = 'operator-key-abcdefghijklmnop';
const operator: Principal = { kind: 'operator' };
const adminOf = (organizationId: string): Principal => ({ kind: 'apiKey', keyId: 'k', organizationId, scopes: [Scope.ADMIN] });

function setup(env: Record<string, string> = { GATEWAY_ADMIN_KEY: OPERATOR_KEY }) {
  const keys = new MemoryRepository<ApiKeyEntity & Row>();
  const organizations = new MemoryRepository<OrganizationEntity & Row>();
  organizations.rows.push({ id: ORG_A, name: 'A', createdAt: new Date() }, { id: ORG_B, name: 'B', createdAt: new Date() });
  // resolve() reads keys with one SQL statement on the pool: answered here from the same rows.
  const pool = {
    query: async (text: string, values: unknown[]) => {
      expect(text).toBe('SELECT id, organization_id, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL');
      const found = keys.rows.filter((k) => k.keyHash === values[0] && k.revokedAt === null);
      return { rows: found.map((k) => ({ id: k.id, organization_id: k.organizationId, scopes: k.scopes })) };
    },
  };
  // Writes run in a transaction whose manager hands out the same in-memory repository.
  const dataSource = {
    driver: { master: pool },
    transaction: async <T>(work: (manager: { getRepository: () => unknown }) => Promise<T>) => work({ getRepository: () => keys }),
  } as unknown as DataSource;
  // No live notification connection: every call reads the database (the cache is covered by its own spec).
  const notifications = {
    listen: () => undefined,
    onGap: () => undefined,
    isLive: () => false,
  } as unknown as NotificationListener;
  const usage = { record: jest.fn(), unwritten: () => null };
  const service = new ApiKeyService(
    keys as unknown as Repository<ApiKeyEntity>,
    organizations as unknown as Repository<OrganizationEntity>,
    loadConfig(env),
    dataSource,
    notifications,
    usage as unknown as KeyUsageRecorder,
    // Partner keys (mpp_...) have their own e2e suite; none is resolved here.
    { lookupKey: async () => null } as unknown as PartnerService,
  );
  return { service, keys, organizations, usage };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (err: unknown) => (err instanceof GatewayError ? `${err.code}: ${err.message}` : `thrown: ${String(err)}`),
  );
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('ApiKeyService.resolve', () => {
  it('knows the operator key, and only that exact key', async () => {
    const { service } = setup();
    expect(await service.resolve(OPERATOR_KEY)).toEqual({ kind: 'operator' });
    expect(await service.resolve(`${OPERATOR_KEY}x`)).toBeNull();
    expect(await service.resolve(OPERATOR_KEY.slice(0, -1))).toBeNull();
  });

  it('has no operator when GATEWAY_ADMIN_KEY is unset', async () => {
    const { service } = setup({});
    expect(await service.resolve(OPERATOR_KEY)).toBeNull();
    expect(await service.resolve('')).toBeNull();
  });

  it('finds an organization key by its hash, not by the plain key', async () => {
    const { service, keys } = setup();
    const { plain, key } = await service.create(adminOf(ORG_A), ORG_A, 'ci', [Scope.CATALOG_READ]);
    expect(key.keyHash).toBe(hashApiKey(plain));
    expect(JSON.stringify(keys.rows)).not.toContain(plain);
    expect(await service.resolve(plain)).toEqual({ kind: 'apiKey', keyId: key.id, organizationId: ORG_A, scopes: [Scope.CATALOG_READ] });
    expect(await service.resolve(key.keyHash)).toBeNull();
  });

  // The other instances hear of it from a trigger on api_keys (test/read-path.e2e-spec.ts).
  it('refuses a revoked key; revoking it again keeps the first revocation time', async () => {
    const { service } = setup();
    const { plain, key } = await service.create(operator, ORG_A, 'ci', [Scope.ADMIN]);
    const first = (await service.revoke(operator, key.id)).revokedAt;
    expect(first).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 5));
    expect((await service.revoke(operator, key.id)).revokedAt).toEqual(first);
    expect(await service.resolve(plain)).toBeNull();
  });

  it('records each use of an organization key, never of the operator key or an unknown one', async () => {
    const { service, usage } = setup();
    const { plain, key } = await service.create(operator, ORG_A, 'ci', [Scope.ADMIN]);
    await service.resolve(plain);
    await service.resolve(plain);
    await service.resolve(OPERATOR_KEY);
    await service.resolve('mpg_00000000_unknown');
    expect(usage.record.mock.calls.map(([id]) => id)).toEqual([key.id, key.id]);
  });
});

describe('ApiKeyService: keys stay within their organization', () => {
  it('creates a key only for its own organization (the operator for any existing one)', async () => {
    const { service } = setup();
    expect(await codeOf(service.create(adminOf(ORG_A), ORG_A, 'own', [Scope.ADMIN]))).toBe('ok');
    expect(await codeOf(service.create(adminOf(ORG_A), ORG_B, 'foreign', [Scope.ADMIN]))).toBe(`NOT_FOUND: Organization ${ORG_B} not found`);
    expect(await codeOf(service.create(operator, ORG_B, 'operator', [Scope.ADMIN]))).toBe('ok');
    const ghost = '0000000c-0000-4000-8000-000000000000';
    expect(await codeOf(service.create(operator, ghost, 'ghost', [Scope.ADMIN]))).toBe(`NOT_FOUND: Organization ${ghost} not found`);
  });

  it('stores a new key unused and unrevoked, with its scopes once each and its visible prefix', async () => {
    const { service } = setup();
    const { plain, key } = await service.create(adminOf(ORG_A), ORG_A, 'laptop', [Scope.CATALOG_READ, Scope.PUBLISH, Scope.CATALOG_READ]);
    expect(key).toMatchObject({ organizationId: ORG_A, name: 'laptop', scopes: [Scope.CATALOG_READ, Scope.PUBLISH], lastUsedAt: null, revokedAt: null });
    expect(plain.startsWith(`${key.prefix}_`)).toBe(true);
  });

  it('lists only the keys of the organization asked for, oldest first, and refuses another organization', async () => {
    const { service } = setup();
    const first = (await service.create(operator, ORG_A, 'first', [Scope.ADMIN])).key;
    await service.create(operator, ORG_B, 'other', [Scope.ADMIN]);
    const second = (await service.create(operator, ORG_A, 'second', [Scope.ADMIN])).key;
    expect((await service.list(adminOf(ORG_A), ORG_A)).map((k) => k.name)).toEqual(['first', 'second']);
    expect((await service.list(operator, ORG_A)).map((k) => k.id)).toEqual([first.id, second.id]);
    expect(await codeOf(service.list(adminOf(ORG_B), ORG_A))).toBe(`NOT_FOUND: Organization ${ORG_A} not found`);
  });

  it("revokes only the caller's own keys; another organization's key reads as unknown and stays valid", async () => {
    const { service } = setup();
    const { plain, key } = await service.create(operator, ORG_A, 'a', [Scope.ADMIN]);
    expect(await codeOf(service.revoke(adminOf(ORG_B), key.id))).toBe(`NOT_FOUND: API key ${key.id} not found`);
    expect(await service.resolve(plain)).toMatchObject({ kind: 'apiKey' });
    expect((await service.revoke(adminOf(ORG_A), key.id)).revokedAt).toBeInstanceOf(Date);
    const other = await service.create(operator, ORG_B, 'b', [Scope.ADMIN]);
    const revoked = await service.revoke(operator, other.key.id);
    expect(revoked).toMatchObject({ id: other.key.id, organizationId: ORG_B });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await service.resolve(other.plain)).toBeNull();
  });

  it('keeps the first revocation time when a key is revoked twice', async () => {
    const { service, keys } = setup();
    const { key } = await service.create(operator, ORG_A, 'a', [Scope.ADMIN]);
    const first = await service.revoke(operator, key.id);
    const saves = keys.saves.length;
    const again = await service.revoke(operator, key.id);
    expect(again.revokedAt).toEqual(first.revokedAt);
    expect(keys.saves).toHaveLength(saves);
  });
});

describe('OrganizationService', () => {
  function orgs() {
    const repo = new MemoryRepository<OrganizationEntity & Row>();
    const service = new OrganizationService(repo as unknown as Repository<OrganizationEntity>);
    return { repo, service };
  }

  it('creates an organization with its name', async () => {
    const { service, repo } = orgs();
    const org = await service.create('Acme Apps');
    expect(org.name).toBe('Acme Apps');
    expect(repo.rows.map((r) => r.name)).toEqual(['Acme Apps']);
  });

  it('shows an organization to its own keys and to the operator, and to no other organization', async () => {
    const { service } = orgs();
    const a = await service.create('A');
    const b = await service.create('B');
    expect((await service.get(adminOf(a.id), a.id)).name).toBe('A');
    expect((await service.get(operator, b.id)).name).toBe('B');
    expect(await codeOf(service.get(adminOf(a.id), b.id))).toBe(`NOT_FOUND: Organization ${b.id} not found`);
    const ghost = '0000000c-0000-4000-8000-000000000000';
    expect(await codeOf(service.get(operator, ghost))).toBe(`NOT_FOUND: Organization ${ghost} not found`);
    expect(await codeOf(service.get(adminOf(ghost), ghost))).toBe(`NOT_FOUND: Organization ${ghost} not found`);
  });
});
