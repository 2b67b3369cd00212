// The mini-program and version the publish bench creates, shared with its raw baseline
// (publish-baseline.ts), so both send the hosts the same listing and the same artifact.

/** createMiniProgram's input, without the slug (one per mini-program). */
export const BENCH_PROGRAM = {
  name: 'Bakery',
  shortName: 'Bakery',
  description: 'Order bread and cakes from the corner bakery for pickup or delivery.',
  category: 'life.food',
  keywords: ['bread'],
  icon: { url: 'https://cdn.example.test/icon.png', sha256: 'a'.repeat(64), width: 180, height: 180 },
  servicePhone: '010-12345678',
};

/** createVersion's input, without the mini-program id. */
export const BENCH_VERSION = {
  version: '1.0.0',
  releaseNotes: 'First release: fresh bread ordering, pickup slots and a cake menu for everyone',
  artifact: { template: { templateId: '12', extJson: {}, hostTemplateIds: [{ host: 'ALIPAY' as const, templateId: '2021000000000012' }] } },
};
