/* global process, URL */
// Jest config of the mutation run: the unit and e2e projects of jest.config.json flattened into
// one (Stryker's jest runner puts its coverage environment on the top-level config only), limited
// to the tests of the group being mutated (MUTATION_GROUP, see groups.mjs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { groupNamed } from './groups.mjs';

const rootDir = fileURLToPath(new URL('../..', import.meta.url));
const { projects } = JSON.parse(readFileSync(new URL('../../jest.config.json', import.meta.url), 'utf8'));
const unit = projects.find((p) => p.displayName === 'unit');

export default {
  testEnvironment: unit.testEnvironment,
  moduleFileExtensions: unit.moduleFileExtensions,
  extensionsToTreatAsEsm: unit.extensionsToTreatAsEsm,
  moduleNameMapper: unit.moduleNameMapper,
  transform: unit.transform,
  rootDir,
  testMatch: groupNamed(process.env.MUTATION_GROUP ?? '').tests.map((glob) => `<rootDir>/${glob}`),
  // The e2e suites read TEST_PG_SERVER_URL; run.mjs provides the server as DATABASE_URL.
  globalSetup: '<rootDir>/test/mutation/global-setup.mjs',
  testTimeout: 30000,
};
