import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { GatewayError, type FieldViolation } from '../common/gateway-error.js';
import type { Connection } from '../common/pagination/connection.js';
import { decodeCursor } from '../common/pagination/cursor.js';
import { toConnection } from '../common/pagination/keyset-page.js';
import { isUniqueViolation } from '../common/postgres-errors.js';
import { sqlPool } from '../database/sql-pool.js';
import { toArtifactValue, toVersionModel } from './catalog.mapper.js';
import { VERSION_COLUMNS } from './catalog.sql.js';
import type { PageArgs } from './catalog.inputs.js';
import type { VersionModel } from './catalog.models.js';
import { MiniProgramService } from './mini-program.service.js';
import { VersionEntity } from './version.entity.js';
import type { ArtifactInput, CreateVersionInput, UpdateVersionInput } from './version.inputs.js';

const VERSION_CONSTRAINT = 'uq_versions_program_version';

@Injectable()
export class VersionService {
  constructor(
    private readonly programs: MiniProgramService,
    private readonly dataSource: DataSource,
  ) {}

  async create(organizationId: string, input: CreateVersionInput): Promise<VersionModel> {
    assertOneArtifact(input.artifact, 'artifact');
    try {
      // The program row stays locked until the version is written: an archive waits for it.
      return await this.dataSource.transaction(async (manager) => {
        const program = await this.programs.find(organizationId, input.miniProgramId, manager);
        if (program.archivedAt) throw GatewayError.conflict(`Mini-program ${program.id} is archived: unarchive it before adding versions`);
        const repo = manager.getRepository(VersionEntity);
        const row = await repo.save(
          repo.create({
            organizationId,
            miniProgramId: program.id,
            version: input.version,
            artifact: toArtifactValue(input.artifact),
            releaseNotes: input.releaseNotes,
            lockedAt: null,
          }),
        );
        return toVersionModel(row);
      });
    } catch (err) {
      if (isUniqueViolation(err, VERSION_CONSTRAINT)) throw GatewayError.conflict(`Version ${input.version} already exists for this mini-program`);
      throw err;
    }
  }

  async update(organizationId: string, input: UpdateVersionInput): Promise<VersionModel> {
    if (input.artifact) assertOneArtifact(input.artifact, 'artifact');
    try {
      return await this.dataSource.transaction(async (manager) => {
        const repo = manager.getRepository(VersionEntity);
        const row = await repo.findOne({ where: { id: input.id, organizationId }, lock: { mode: 'pessimistic_write' } });
        if (!row) throw GatewayError.notFound('Version', input.id);
        assertUnlocked(row);
        if (input.version !== undefined) row.version = input.version;
        if (input.artifact) row.artifact = toArtifactValue(input.artifact);
        if (input.releaseNotes !== undefined) row.releaseNotes = input.releaseNotes;
        return toVersionModel(await repo.save(row));
      });
    } catch (err) {
      if (isUniqueViolation(err, VERSION_CONSTRAINT)) throw GatewayError.conflict(`Version ${input.version} already exists for this mini-program`);
      throw err;
    }
  }

  async delete(organizationId: string, id: string): Promise<{ id: string }> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(VersionEntity);
      const row = await repo.findOne({ where: { id, organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw GatewayError.notFound('Version', id);
      assertUnlocked(row);
      await repo.delete({ id, organizationId });
      return { id };
    });
  }

  async get(organizationId: string, id: string): Promise<VersionModel> {
    const { rows } = await sqlPool(this.dataSource).query<VersionEntity>(
      `SELECT ${VERSION_COLUMNS} FROM versions v WHERE v.id = $1 AND v.organization_id = $2`,
      [id, organizationId],
    );
    if (rows.length === 0) throw GatewayError.notFound('Version', id);
    return toVersionModel(rows[0]);
  }

  /** Locks a version for a publish, inside the publish's transaction: from then on it cannot change. */
  async lockForPublish(manager: EntityManager, organizationId: string, id: string): Promise<VersionModel> {
    const repo = manager.getRepository(VersionEntity);
    const row = await repo.findOne({ where: { id, organizationId }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw GatewayError.notFound('Version', id);
    if (!row.lockedAt) {
      row.lockedAt = new Date();
      await repo.update(row.id, { lockedAt: row.lockedAt });
    }
    return toVersionModel(row);
  }

  listForProgram(organizationId: string, miniProgramId: string, args: PageArgs): Promise<Connection<VersionModel>> {
    return this.pagesForPrograms(organizationId, [miniProgramId], args, (ids) => this.countForPrograms(organizationId, ids)).then(([page]) => page);
  }

  /**
   * A page of versions for each of several mini-programs, in one statement (a LATERAL join:
   * one index range per program). `count` serves totalCount, when a client selects it.
   */
  async pagesForPrograms(
    organizationId: string,
    miniProgramIds: readonly string[],
    args: PageArgs,
    count: (ids: readonly string[]) => Promise<number[]>,
  ): Promise<Connection<VersionModel>[]> {
    const params: unknown[] = [organizationId, miniProgramIds, args.first + 1];
    let cursor = '';
    if (args.after) {
      const key = decodeCursor(args.after);
      params.push(key.createdAt.toISOString(), key.id);
      cursor = ' AND (v.created_at, v.id) < ($4::timestamptz, $5::uuid)';
    }
    const { rows } = await sqlPool(this.dataSource).query<VersionEntity>(
      `SELECT x.* FROM unnest($2::uuid[]) AS p(id) CROSS JOIN LATERAL (SELECT ${VERSION_COLUMNS} FROM versions v ` +
        `WHERE v.organization_id = $1 AND v.mini_program_id = p.id${cursor} ORDER BY v.created_at DESC, v.id DESC LIMIT $3) x`,
      params,
    );
    const byProgram = new Map<string, VersionEntity[]>();
    for (const row of rows) {
      const list = byProgram.get(row.miniProgramId);
      if (list) list.push(row);
      else byProgram.set(row.miniProgramId, [row]);
    }
    const key = args.after ? decodeCursor(args.after) : null;
    // A nested page reached with `after` has versions before it when the cursor's own row, or a
    // newer one, still exists for that program (asked only if a client selects hasPreviousPage).
    const hasPrevious = (id: string) => async () => {
      const found = await sqlPool(this.dataSource).query(
        'SELECT 1 FROM versions v WHERE v.organization_id = $1 AND v.mini_program_id = $2 AND (v.created_at, v.id) >= ($3::timestamptz, $4::uuid) ' +
          'ORDER BY v.created_at ASC, v.id ASC LIMIT 1',
        [organizationId, id, key!.createdAt.toISOString(), key!.id],
      );
      return found.rows.length > 0;
    };
    return miniProgramIds.map((id) =>
      toConnection(byProgram.get(id) ?? [], args.first, toVersionModel, async () => (await count([id]))[0], key ? hasPrevious(id) : undefined),
    );
  }

  /** How many versions each mini-program has, in one statement. */
  async countForPrograms(organizationId: string, miniProgramIds: readonly string[]): Promise<number[]> {
    const { rows } = await sqlPool(this.dataSource).query<{ id: string; n: number }>(
      'SELECT v.mini_program_id AS id, count(*)::int AS n FROM versions v WHERE v.organization_id = $1 AND v.mini_program_id = ANY($2::uuid[]) GROUP BY v.mini_program_id',
      [organizationId, miniProgramIds],
    );
    const counts = new Map(rows.map((r) => [r.id, r.n]));
    return miniProgramIds.map((id) => counts.get(id) ?? 0);
  }
}

function assertUnlocked(row: VersionEntity): void {
  if (row.lockedAt) throw GatewayError.conflict(`Version ${row.version} was used by a publish and can no longer change`);
}

function assertOneArtifact(artifact: ArtifactInput, field: string): void {
  const violations: FieldViolation[] = [];
  const given = [artifact.package, artifact.template].filter((a) => a !== undefined && a !== null).length;
  if (given !== 1) violations.push({ field, rule: 'exactlyOne', message: `${field} must have exactly one of package or template` });
  const hosts = artifact.template?.hostTemplateIds.map((h) => h.host) ?? [];
  hosts.forEach((host, i) => {
    if (hosts.indexOf(host) !== i)
      violations.push({ field: `${field}.template.hostTemplateIds.${i}.host`, rule: 'uniqueHost', message: `hostTemplateIds has ${host} twice` });
  });
  if (violations.length) throw GatewayError.badInput(violations);
}
