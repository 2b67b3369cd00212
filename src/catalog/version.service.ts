import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type EntityManager } from 'typeorm';
import { GatewayError, type FieldViolation } from '../common/gateway-error.js';
import type { Connection } from '../common/pagination/connection.js';
import { keysetPage } from '../common/pagination/keyset-page.js';
import { isUniqueViolation } from '../common/postgres-errors.js';
import { toArtifactValue, toVersionModel } from './catalog.mapper.js';
import type { PageArgs } from './catalog.inputs.js';
import type { VersionModel } from './catalog.models.js';
import { MiniProgramService } from './mini-program.service.js';
import { VersionEntity } from './version.entity.js';
import type { ArtifactInput, CreateVersionInput, UpdateVersionInput } from './version.inputs.js';

const VERSION_CONSTRAINT = 'uq_versions_program_version';

@Injectable()
export class VersionService {
  constructor(
    @InjectRepository(VersionEntity) private readonly versions: Repository<VersionEntity>,
    private readonly programs: MiniProgramService,
    private readonly dataSource: DataSource,
  ) {}

  async create(organizationId: string, input: CreateVersionInput): Promise<VersionModel> {
    assertOneArtifact(input.artifact, 'artifact');
    const program = await this.programs.find(organizationId, input.miniProgramId);
    if (program.archivedAt) throw GatewayError.conflict(`Mini-program ${program.id} is archived: unarchive it before adding versions`);
    try {
      const row = await this.versions.save(
        this.versions.create({
          organizationId,
          miniProgramId: program.id,
          version: input.version,
          artifact: toArtifactValue(input.artifact),
          releaseNotes: input.releaseNotes,
          lockedAt: null,
        }),
      );
      return toVersionModel(row);
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
    const row = await this.versions.findOneBy({ id, organizationId });
    if (!row) throw GatewayError.notFound('Version', id);
    return toVersionModel(row);
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
    const qb = this.versions
      .createQueryBuilder('v')
      .where('v.organization_id = :organizationId AND v.mini_program_id = :miniProgramId', { organizationId, miniProgramId });
    return keysetPage(qb, args, toVersionModel);
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
