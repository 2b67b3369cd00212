/* global process, console */
// `npm run test:mutation [group ...]`: one Stryker run per group of test/mutation/groups.mjs (all
// groups by default), on the PostgreSQL server at DATABASE_URL or, when it is unset, on an embedded
// one started for the whole run. Prints each module's score and how long each group took.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { GROUPS } from './groups.mjs';
import { scratchServer } from '../../dist/src/database/scratch-database.js';

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(GROUPS);
for (const name of names) if (!GROUPS[name]) throw new Error(`unknown group ${name}; one of ${Object.keys(GROUPS).join(', ')}`);

const DETECTED = new Set(['Killed', 'Timeout']);
const server = await scratchServer(process.env.DATABASE_URL || undefined);
const rows = [];
let failed = false;
try {
  for (const name of names) {
    const started = Date.now();
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', 'stryker.config.mjs'], {
        stdio: 'inherit',
        env: { ...process.env, MUTATION_GROUP: name, DATABASE_URL: server.url },
      });
      child.on('exit', (c) => resolve(c ?? 1));
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    if (code !== 0) {
      failed = true;
      rows.push({ group: name, file: '(stryker failed)', seconds });
      continue;
    }
    const report = JSON.parse(readFileSync(`reports/mutation/${name}.json`, 'utf8'));
    for (const [file, { mutants }] of Object.entries(report.files)) {
      const count = (status) => mutants.filter((m) => m.status === status).length;
      const valid = mutants.filter((m) => m.status !== 'CompileError' && m.status !== 'RuntimeError' && m.status !== 'Ignored');
      const detected = valid.filter((m) => DETECTED.has(m.status)).length;
      rows.push({
        group: name,
        file,
        mutants: valid.length,
        killed: count('Killed'),
        timeout: count('Timeout'),
        survived: count('Survived'),
        noCoverage: count('NoCoverage'),
        score: valid.length ? `${((100 * detected) / valid.length).toFixed(1)}%` : 'n/a',
        seconds,
      });
    }
  }
} finally {
  await server.stop();
}
console.log('\nMutation score per module (reports/mutation/<group>.html has every mutant):');
console.table(rows);
process.exit(failed ? 1 : 0);
