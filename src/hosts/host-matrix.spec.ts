import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HostAdapterFactory } from '../../adapters/core/index.js';
import { HOST_ADAPTER_FACTORIES } from './host-adapter.registry.js';
import { capabilitiesOf, describeGray, renderHostMatrix } from './host-matrix.js';

const DOC = fileURLToPath(new URL('../../docs/hosts.md', import.meta.url));
const REGENERATE = 'UPDATE_HOST_MATRIX=1 npm run test:unit -- --testPathPatterns src/hosts/host-matrix.spec.ts';
const factories: HostAdapterFactory[] = Object.values(HOST_ADAPTER_FACTORIES);

describe('docs/hosts.md', () => {
  it("is exactly what the adapters' code renders", () => {
    const rendered = renderHostMatrix();
    if (process.env.UPDATE_HOST_MATRIX === '1') writeFileSync(DOC, rendered);
    const committed = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
    if (committed !== rendered) throw new Error(`docs/hosts.md differs from the adapters' capabilities and profiles; regenerate it with:\n  ${REGENERATE}`);
  });
});

describe('renderHostMatrix', () => {
  it('renders the same text twice (no dates, no random order)', () => {
    expect(renderHostMatrix()).toBe(renderHostMatrix());
  });

  it('has one capability column per registered host and one section per host', () => {
    const text = renderHostMatrix();
    const header = text.split('\n').find((l) => l.startsWith('| Capability |'));
    expect(header).toBe(`| Capability | ${factories.map((f) => f.profile.displayName).join(' | ')} |`);
    for (const f of factories) expect(text).toContain(`## ${f.profile.displayName} (\`${f.hostId}\`)`);
    expect(text).toContain('## Adding a fifth host');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('shows every limit with its source and every assumption of each host', () => {
    const text = renderHostMatrix();
    for (const f of factories) {
      for (const l of f.profile.limits) expect(text).toContain(l.source.replace(/\|/g, '\\|'));
      for (const a of f.profile.assumptions) expect(text).toContain(a.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' '));
    }
  });

  it('lists every UNCONFIRMED or CONFLICT fact of each host with its decision, and each assumption names code that exists', () => {
    const text = renderHostMatrix();
    for (const f of factories) {
      const facts = f.profile.unconfirmed ?? [];
      expect(facts.length).toBeGreaterThan(0);
      for (const u of facts) {
        expect(text).toContain(u.fact.replace(/\|/g, '\\|'));
        if (u.decision === 'confirmed') {
          expect(u.source.length).toBeGreaterThan(0);
          continue;
        }
        const file = fileURLToPath(new URL(`../../adapters/${f.hostId.toLowerCase()}/${u.code.file}`, import.meta.url));
        expect({ fact: u.fact, file: u.code.file, exists: existsSync(file) }).toEqual({ fact: u.fact, file: u.code.file, exists: true });
        expect({ fact: u.fact, symbolFound: readFileSync(file, 'utf8').includes(u.code.symbol) }).toEqual({ fact: u.fact, symbolFound: true });
      }
    }
  });

  it('escapes pipes so a profile cannot break a table', () => {
    const [base] = factories;
    const piped: HostAdapterFactory = { ...base, profile: { ...base.profile, limits: [{ rule: 'a|b', value: 'x\ny', source: 's' }] } };
    expect(renderHostMatrix([piped])).toContain('| a\\|b | x y | s |');
  });

  it('reads capabilities without any network call', () => {
    for (const f of factories) expect(capabilitiesOf(f).artifactKinds.length).toBeGreaterThan(0);
  });
});

describe('describeGray', () => {
  it('says what a percentage list, a range and the flags mean', () => {
    expect(describeGray(null)).toBe('no');
    expect(describeGray({ allowedPercentages: null, min: 1, max: 100, mustIncrease: true, cancellable: true })).toBe(
      'any whole % from 1 to 100; must increase; cancellable',
    );
    expect(describeGray({ allowedPercentages: [5, 10, 50], min: 5, max: 50, mustIncrease: false, cancellable: false })).toBe(
      '5, 10, 50 %; may decrease; not cancellable',
    );
  });
});
