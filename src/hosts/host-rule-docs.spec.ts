import { HOST_IDS } from '../../adapters/core/index.js';
import { ALIPAY_PROFILE } from '../../adapters/alipay/index.js';
import { hostLimitsOf, hostRulesDoc } from './host-rule-docs.js';

describe('host rules in field descriptions', () => {
  it('quotes every host for the fields every host constrains, so a renamed profile rule cannot drop a host silently', () => {
    for (const field of ['name', 'description', 'icon', 'version', 'releaseNotes', 'artifact', 'packageSize'] as const) {
      expect({ field, hosts: [...new Set(hostLimitsOf(field).map(([host]) => host))] }).toEqual({ field, hosts: [...HOST_IDS] });
    }
  });

  it("quotes a host's limit as its profile states it", () => {
    const alipayName = ALIPAY_PROFILE.limits.find((l) => l.rule === 'name length')!;
    expect(hostRulesDoc('name')).toContain(`\n- ALIPAY, name length: ${alipayName.value}`);
    expect(hostRulesDoc('slogan')).toBe(
      `\n\nHost rules, as the host adapters state them:\n- ALIPAY, slogan length: ${ALIPAY_PROFILE.limits.find((l) => l.rule === 'slogan length')!.value}`,
    );
  });
});
