import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';

interface HealthReport {
  status: 'ok' | 'unavailable';
  database: { reachable: boolean; pendingMigrations: number | null; error?: string };
}

// GET /health: the database answers and every migration this build knows is applied.
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @HttpCode(200)
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report: HealthReport = { status: 'ok', database: { reachable: false, pendingMigrations: null } };
    try {
      await this.dataSource.query('SELECT 1');
      report.database.reachable = true;
      const pending = await this.dataSource.showMigrations();
      // showMigrations() only says whether any is pending; count them for the report.
      report.database.pendingMigrations = pending ? await this.countPending() : 0;
    } catch (err) {
      report.database.error = err instanceof Error ? err.message.split('\n')[0] : 'unknown error';
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
