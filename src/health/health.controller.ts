import { Controller, Get, HttpCode, Res, type OnApplicationBootstrap } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { sqlPool } from '../database/sql-pool.js';

interface HealthReport {
  status: 'ok' | 'unavailable';
  database: { reachable: boolean; pendingMigrations: number | null; error?: string };
}

/**
 * GET /health: one `SELECT 1` plus the migration state read once at start (probes call this
 * often; it must stay cheap). GET /health/ready reads the migration state again, for a deploy
 * step that waits until another instance has migrated the database.
 */
@Controller('health')
export class HealthController implements OnApplicationBootstrap {
  private pendingAtStart: number | null = null;
  private startError: string | undefined;

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      this.pendingAtStart = await this.countPending();
    } catch (err) {
      this.startError = firstLine(err);
    }
  }

  @Get()
  @HttpCode(200)
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.report(reply, async () => {
      if (this.pendingAtStart === null) throw new Error(this.startError ?? 'migration state unknown');
      return this.pendingAtStart;
    });
  }

  @Get('ready')
  @HttpCode(200)
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.report(reply, async () => {
      this.pendingAtStart = await this.countPending();
      return this.pendingAtStart;
    });
  }

  private async report(reply: FastifyReply, pending: () => Promise<number>): Promise<HealthReport> {
    const report: HealthReport = { status: 'ok', database: { reachable: false, pendingMigrations: null } };
    try {
      await sqlPool(this.dataSource).query('SELECT 1');
      report.database.reachable = true;
      report.database.pendingMigrations = await pending();
    } catch (err) {
      report.database.error = firstLine(err);
    }
    if (!report.database.reachable || report.database.pendingMigrations !== 0) {
      report.status = 'unavailable';
      reply.status(503);
    }
    return report;
  }

  private async countPending(): Promise<number> {
    const rows: Array<{ name: string }> = await this.dataSource.query('SELECT name FROM migrations');
    const applied = new Set(rows.map((r) => r.name));
    return this.dataSource.migrations.filter((m) => !applied.has(m.name ?? m.constructor.name)).length;
  }
}

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : 'unknown error';
}
