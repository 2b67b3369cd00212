import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type EntityManager } from 'typeorm';
import { GatewayError } from '../common/gateway-error.js';
import { keysetPage } from '../common/pagination/keyset-page.js';
import type { Connection } from '../common/pagination/connection.js';
import { isUniqueViolation } from '../common/postgres-errors.js';
import { sqlPool } from '../database/sql-pool.js';
import { toMiniProgramModel, toOverrideMap } from './catalog.mapper.js';
import { PROGRAM_COLUMNS } from './catalog.sql.js';
import type { CreateMiniProgramInput, MiniProgramsArgs, UpdateMiniProgramInput } from './catalog.inputs.js';
import type { MiniProgramModel } from './catalog.models.js';
import { MiniProgramEntity } from './mini-program.entity.js';

const SLUG_CONSTRAINT = 'uq_mini_programs_org_slug';

// Every method takes the caller's organization id: rows of other organizations read as missing.
@Injectable()
export class MiniProgramService {
  constructor(
    @InjectRepository(MiniProgramEntity) private readonly programs: Repository<MiniProgramEntity>,
    private readonly dataSource: DataSource,
  ) {}

  /** One statement, plain rows: the read path skips TypeORM's hydration. */
  async get(organizationId: string, id: string): Promise<MiniProgramModel> {
    const { rows } = await sqlPool(this.dataSource).query<MiniProgramEntity>(
      `SELECT ${PROGRAM_COLUMNS} FROM mini_programs m WHERE m.id = $1 AND m.organization_id = $2`,
      [id, organizationId],
    );
    if (rows.length === 0) throw GatewayError.notFound('Mini-program', id);
    return toMiniProgramModel(rows[0]);
  }

  async find(organizationId: string, id: string, manager?: EntityManager): Promise<MiniProgramEntity> {
    const repo = manager ? manager.getRepository(MiniProgramEntity) : this.programs;
    const row = await repo.findOne({ where: { id, organizationId }, ...(manager ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!row) throw GatewayError.notFound('Mini-program', id);
    return row;
  }

  async create(organizationId: string, input: CreateMiniProgramInput): Promise<MiniProgramModel> {
    assertUniqueHosts(input.hostOverrides.map((o) => o.host));
    const { hostOverrides, ...fields } = input;
    try {
      const row = await this.programs.save(
        this.programs.create({
          ...fields,
          shortName: fields.shortName ?? null,
          slogan: fields.slogan ?? null,
          icon: fields.icon ? { ...fields.icon } : null,
          servicePhone: fields.servicePhone ?? null,
          serviceEmail: fields.serviceEmail ?? null,
          privacyPolicyUrl: fields.privacyPolicyUrl ?? null,
          organizationId,
          hostOverrides: toOverrideMap(hostOverrides),
          archivedAt: null,
          revision: 1,
        }),
      );
      return toMiniProgramModel(row);
    } catch (err) {
      if (isUniqueViolation(err, SLUG_CONSTRAINT)) throw GatewayError.conflict(`The slug ${input.slug} is already used by another mini-program`);
      throw err;
    }
  }

  async update(organizationId: string, input: UpdateMiniProgramInput): Promise<MiniProgramModel> {
    const { id, revision, hostOverrides, ...fields } = input;
    if (hostOverrides) assertUniqueHosts(hostOverrides.map((o) => o.host));
    return this.changeAtRevision(organizationId, id, revision, (row) => {
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value === null ? null : key === 'icon' ? { ...(value as object) } : value;
      }
      if (hostOverrides) row.hostOverrides = toOverrideMap(hostOverrides);
    });
  }

  setArchived(organizationId: string, id: string, revision: number, archived: boolean): Promise<MiniProgramModel> {
    return this.changeAtRevision(organizationId, id, revision, (row) => {
      if ((row.archivedAt !== null) === archived) throw GatewayError.conflict(`Mini-program ${id} is ${archived ? 'already' : 'not'} archived`);
      row.archivedAt = archived ? new Date() : null;
    });
  }

  /** One statement for the page; a COUNT only when the client selects totalCount. */
  list(organizationId: string, args: MiniProgramsArgs): Promise<Connection<MiniProgramModel>> {
    const params: unknown[] = [organizationId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['m.organization_id = $1'];
    const filter = args.filter ?? {};
    where.push(filter.archived === true ? 'm.archived_at IS NOT NULL' : 'm.archived_at IS NULL');
    if (filter.category) where.push(`(m.category = ${param(filter.category)} OR m.category LIKE ${param(`${filter.category}.%`)})`);
    if (filter.search) {
      const pattern = param(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(m.name ILIKE ${pattern} OR m.short_name ILIKE ${pattern} OR m.slug ILIKE ${pattern})`);
    }
    return keysetPage<MiniProgramEntity, MiniProgramModel>(
      sqlPool(this.dataSource),
      { columns: PROGRAM_COLUMNS, from: 'mini_programs m', alias: 'm', where, params },
      args,
      toMiniProgramModel,
    );
  }

  // Locks the row, checks the revision the caller read, applies the change and bumps the revision.
  private async changeAtRevision(organizationId: string, id: string, revision: number, change: (row: MiniProgramEntity) => void): Promise<MiniProgramModel> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const row = await this.find(organizationId, id, manager);
        if (row.revision !== revision) {
          throw GatewayError.conflict(`Mini-program ${id} is at revision ${row.revision}, not ${revision}: read it again and retry`);
        }
        change(row);
        row.revision += 1;
        return toMiniProgramModel(await manager.getRepository(MiniProgramEntity).save(row));
      });
    } catch (err) {
      if (isUniqueViolation(err, SLUG_CONSTRAINT)) throw GatewayError.conflict('That slug is already used by another mini-program');
      throw err;
    }
  }
}

function assertUniqueHosts(hosts: string[]): void {
  const seen = new Set<string>();
  hosts.forEach((host, index) => {
    if (seen.has(host)) {
      throw GatewayError.badInput([{ field: `hostOverrides.${index}.host`, rule: 'uniqueHost', message: `hostOverrides has ${host} twice` }]);
    }
    seen.add(host);
  });
}
