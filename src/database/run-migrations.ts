import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

/**
 * Applies pending migrations on a short-lived connection of its own (no statement timeout: a
 * migration may rewrite a large table) and reports what it applied.
 */
export async function runPendingMigrations(url: string, report: (applied: string[], message: string) => void): Promise<string[]> {
  const ds = await new DataSource(dataSourceOptions(url, 1, false)).initialize();
  try {
    const applied = (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
    report(applied, applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database schema is up to date; no migration to apply');
    return applied;
  } finally {
    await ds.destroy();
  }
}
