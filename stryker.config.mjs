/* global process */
// StrykerJS over the modules where a silent bug costs most (test/mutation/groups.mjs).
// Run it with `npm run test:mutation` (test/mutation/run.mjs): one Stryker run per group, each
// against its own tests only. Results and the surviving mutants judged harmless: docs/testing.md.
import { groupNamed } from './test/mutation/groups.mjs';

const group = process.env.MUTATION_GROUP ?? '';

export default {
  testRunner: 'jest',
  // Jest runs our ESM + @swc/jest setup only in native ESM mode.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: { projectType: 'custom', configFile: 'test/mutation/jest.config.mjs', enableFindRelatedTests: true },
  plugins: ['@stryker-mutator/jest-runner'],
  coverageAnalysis: 'perTest',
  mutate: groupNamed(group).mutate,
  // The machine is shared: two test processes at most (MUTATION_CONCURRENCY=1 for one).
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 10000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['clear-text', 'html', 'json', 'progress-append-only'],
  clearTextReporter: { allowColor: false, reportTests: false, logTests: false },
  htmlReporter: { fileName: `reports/mutation/${group}.html` },
  jsonReporter: { fileName: `reports/mutation/${group}.json` },
  thresholds: { high: 100, low: 90, break: null },
};
