/* global process */
// The mutation run's PostgreSQL server comes from test/mutation/run.mjs (DATABASE_URL); each e2e
// suite creates its own database on it, as in the normal run.
export default async function globalSetup() {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: run the mutation tests with `npm run test:mutation`');
  process.env.TEST_PG_SERVER_URL = process.env.DATABASE_URL;
}
