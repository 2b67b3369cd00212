import { ArtifactKind, type MiniProgramModel, type VersionModel } from './catalog.models.js';
import { listingFor, versionSpecFor } from './listing-projection.js';

const program = {
  id: 'p1',
  name: 'Corner Bakery',
  shortName: 'Bakery',
  slogan: null,
  description: 'Bread and cakes',
  category: 'life.food',
  keywords: ['bread'],
  icon: { url: 'https://cdn.test/i.png', sha256: 'a'.repeat(64), width: 180, height: 180 },
  servicePhone: '010-1234',
  serviceEmail: null,
  privacyPolicyUrl: null,
  hostOverrides: [{ host: 'ALIPAY', name: 'Bakery Pay', slogan: 'Pay and pick up', shortName: null, keywords: null }],
} as unknown as MiniProgramModel;

const template = (hostTemplateIds: VersionModel['artifact']['hostTemplateIds']): VersionModel =>
  ({
    version: '1.2.0',
    releaseNotes: 'notes',
    artifact: {
      kind: ArtifactKind.TEMPLATE,
      templateId: '12',
      extJson: { a: 1 },
      hostTemplateIds,
      packageUrl: null,
      packageSha256: null,
      packageSizeBytes: null,
    },
  }) as unknown as VersionModel;

describe('listingFor', () => {
  it('applies the fields an override sets and keeps the canonical value where the override is null', () => {
    expect(listingFor(program, 'ALIPAY')).toMatchObject({
      name: 'Bakery Pay',
      slogan: 'Pay and pick up',
      shortName: 'Bakery',
      keywords: ['bread'],
      category: 'life.food',
    });
  });

  it('gives the canonical definition to a host without an override', () => {
    expect(listingFor(program, 'WECHAT')).toMatchObject({ name: 'Corner Bakery', slogan: null, servicePhone: '010-1234', icon: program.icon });
  });
});

describe('versionSpecFor', () => {
  it("uses the host's own template id when one is set, the shared one otherwise", () => {
    const v = template([{ host: 'ALIPAY', templateId: '2021000000000001' }]);
    expect(versionSpecFor(v, 'ALIPAY').artifact).toEqual({ kind: 'TEMPLATE', templateId: '2021000000000001', extJson: { a: 1 }, sizeBytes: null });
    expect(versionSpecFor(v, 'WECHAT').artifact).toMatchObject({ templateId: '12' });
  });

  it('passes a package through unchanged', () => {
    const v = {
      version: '2.0.0',
      releaseNotes: 'n',
      artifact: { kind: ArtifactKind.PACKAGE, packageUrl: 'https://cdn.test/p.zip', packageSha256: 'b'.repeat(64), packageSizeBytes: 1000 },
    } as unknown as VersionModel;
    expect(versionSpecFor(v, 'BAIDU')).toEqual({
      version: '2.0.0',
      releaseNotes: 'n',
      artifact: { kind: 'PACKAGE', url: 'https://cdn.test/p.zip', sha256: 'b'.repeat(64), sizeBytes: 1000 },
    });
  });
});
