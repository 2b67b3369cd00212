import {
  InMemoryTokenStore,
  type GrayReleaseCapability,
  type HostAdapterFactory,
  type HostCapabilities,
  type HttpTransport,
} from '../../adapters/core/index.js';
import { HOST_ADAPTER_FACTORIES } from './host-adapter.registry.js';

// docs/hosts.md is generated from the adapters' own capabilities and profiles, so the doc
// cannot drift from the code; host-matrix.spec.ts fails when the committed file differs.

const refuseCalls: HttpTransport = async (req) => {
  throw new Error(`the host matrix reads static data only; unexpected call to ${new URL(req.url).origin}`);
};

/** Capabilities are static; read them from an instance that is never called. */
export function capabilitiesOf(factory: HostAdapterFactory): HostCapabilities {
  return factory.create({ baseUrl: 'http://127.0.0.1:9', http: refuseCalls, tokenStore: new InMemoryTokenStore() }).capabilities;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const yesNo = (v: boolean) => (v ? 'yes' : 'no');

export function describeGray(g: GrayReleaseCapability | null): string {
  if (!g) return 'no';
  const range = g.allowedPercentages ? `${g.allowedPercentages.join(', ')} %` : `any whole % from ${g.min} to ${g.max}`;
  return [range, g.mustIncrease ? 'must increase' : 'may decrease', g.cancellable ? 'cancellable' : 'not cancellable'].join('; ');
}

const CAPABILITY_ROWS: Array<[string, (c: HostCapabilities) => string]> = [
  ['Gray release', (c) => describeGray(c.grayRelease)],
  ['Rollback', (c) => yesNo(c.rollback)],
  ['Withdraw review', (c) => yesNo(c.withdrawReview)],
  ['Speed up review', (c) => yesNo(c.speedUpReview)],
  ['Analytics', (c) => yesNo(c.analytics)],
  ['Review results', (c) => (c.reviewPushes ? 'pushed' : 'polled')],
  ['Name/icon/description sync', (c) => yesNo(c.basicInfoSync)],
  ['Artifact kinds', (c) => c.artifactKinds.join(', ')],
];

function hostSection(factory: HostAdapterFactory): string {
  const p = factory.profile;
  const dir = factory.hostId.toLowerCase();
  const list = (items: string[]) => (items.length > 0 ? items.map((i) => `- ${i}`).join('\n') : '- none');
  return [
    `## ${p.displayName} (\`${factory.hostId}\`)`,
    `Code: \`adapters/${dir}/\`; conformance: \`adapters/${dir}/${dir}.conformance.spec.ts\`.`,
    '### Limits',
    table(
      ['Rule', 'Value', 'Source'],
      p.limits.map((l) => [l.rule, l.value, l.source]),
    ),
    '### Status mapping',
    table(
      ['Native', 'Normalized', 'Note'],
      p.statusMapping.map((m) => [m.native, m.normalized, m.note ?? '']),
    ),
    '### Protocol quirks handled',
    list(p.quirks),
    '### Assumptions (UNCONFIRMED or CONFLICT in shared/hosts)',
    list(p.assumptions),
    '### UNCONFIRMED and CONFLICT facts of shared/hosts: what was decided',
    'Each fact shared/hosts marks UNCONFIRMED or CONFLICT for this host: confirmed since from the source named (and stated among the quirks or limits above), or kept as an assumption in the place in code named.',
    (p.unconfirmed ?? []).length > 0
      ? table(
          ['Fact (shared/hosts)', 'Decided', 'Reading', 'Source, or place in code'],
          (p.unconfirmed ?? []).map((u) => [
            u.fact,
            u.decision,
            u.reading,
            u.decision === 'confirmed' ? u.source : `${u.code.symbol} in adapters/${dir}/${u.code.file}`,
          ]),
        )
      : '- none',
    '### Answer fixtures',
    "Answers copied from the host's docs and SDK samples (`adapters/" +
      dir +
      '/fixtures/`): the client specs parse each one and the sandbox answers in their shapes.',
    (p.answerFixtures ?? []).length > 0
      ? table(
          ['Fixture', 'Call', 'Kind', 'Source'],
          (p.answerFixtures ?? []).map((f) => [f.name, f.call, f.kind, f.note ? `${f.source} (${f.note})` : f.source]),
        )
      : '- none yet',
  ].join('\n\n');
}

const ADDING_A_HOST = `## Adding a fifth host

1. One folder \`adapters/<host>/\` with \`<host>.adapter.ts\` (implements \`HostAdapter\`),
   \`<host>.client.ts\` (HTTP and auth; every native failure becomes \`HostError\`),
   \`<host>.rules.ts\` (listing rules and status mapping), \`<host>.callbacks.ts\` (verify and
   decrypt pushes), \`sandbox/\` (a loopback server implementing \`HostSandbox\` from the documented
   protocol, never importing the adapter; \`adapters/core/sandbox-kit\` gives the server, the fault
   switches and the push sender), \`<host>.harness.ts\` (a \`ConformanceHarness\`) and
   \`index.ts\` exporting \`<host>AdapterFactory\`, \`<Host>Sandbox\` and \`<host>ConformanceHarness\`.
   The factory (\`defineHostAdapterFactory\`) carries the \`HostProfile\` this page is generated
   from. Core also has what hosts share: \`TokenCache\` for access tokens and \`push-crypto\` for
   the AES-CBC push encryption WeChat, Baidu and Douyin use.
2. One id in \`HOST_IDS\` (\`adapters/core/host-id.ts\`) and one entry in \`HOST_REGISTRY\`
   (\`src/hosts/host-adapter.registry.ts\`): the factory, the production base URL and how to
   build the sandbox that \`HOSTS_MODE=sandbox\` starts with the gateway.
3. \`adapters/<host>/<host>.conformance.spec.ts\` calling \`describeConformance(<host>ConformanceHarness)\`
   from \`adapters/core/conformance/conformance-suite.ts\`; the host is done when it is green.
4. Regenerate this page: \`UPDATE_HOST_MATRIX=1 npm run test:unit -- --testPathPatterns src/hosts/host-matrix.spec.ts\`.`;

/** The whole of docs/hosts.md; deterministic (no dates), hosts in registry order. */
export function renderHostMatrix(factories: readonly HostAdapterFactory[] = Object.values(HOST_ADAPTER_FACTORIES)): string {
  const caps = factories.map(capabilitiesOf);
  return (
    [
      '# Hosts',
      "<!-- Generated from the adapters' code by src/hosts/host-matrix.ts; do not edit by hand.\n     Regenerate: UPDATE_HOST_MATRIX=1 npm run test:unit -- --testPathPatterns src/hosts/host-matrix.spec.ts -->",
      'What each host offers through its open-platform API, as the adapters declare it. The gateway ' +
        'refuses a capability a host lacks before any call. Wire facts and their sources: ' +
        '`shared/hosts/` (cited per limit below).',
      '## Capabilities',
      table(
        ['Capability', ...factories.map((f) => f.profile.displayName)],
        CAPABILITY_ROWS.map(([name, read]) => [name, ...caps.map(read)]),
      ),
      ...factories.map(hostSection),
      ADDING_A_HOST,
    ].join('\n\n') + '\n'
  );
}
