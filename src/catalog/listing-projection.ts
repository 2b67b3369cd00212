import type { HostId, ListingDefinition, VersionSpec } from '../../adapters/core/index.js';
import type { MiniProgramModel, VersionModel } from './catalog.models.js';
import { ArtifactKind } from './catalog.models.js';

/**
 * The definition as one host sees it: the canonical fields with that host's override applied.
 * An override field left null keeps the canonical value (overrides replace, they never clear).
 */
export function listingFor(program: MiniProgramModel, host: HostId): ListingDefinition {
  const o = program.hostOverrides.find((h) => h.host === host);
  const pick = <T>(override: T | null | undefined, canonical: T): T => (override === null || override === undefined ? canonical : override);
  return {
    name: pick(o?.name, program.name),
    shortName: pick(o?.shortName, program.shortName),
    slogan: pick(o?.slogan, program.slogan),
    description: pick(o?.description, program.description),
    category: pick(o?.category, program.category),
    keywords: pick(o?.keywords, program.keywords),
    icon: pick(o?.icon, program.icon),
    servicePhone: pick(o?.servicePhone, program.servicePhone),
    serviceEmail: pick(o?.serviceEmail, program.serviceEmail),
    privacyPolicyUrl: pick(o?.privacyPolicyUrl, program.privacyPolicyUrl),
  };
}

/** The version as one host receives it: a template artifact uses that host's template id when one is set. */
export function versionSpecFor(version: VersionModel, host: HostId): VersionSpec {
  const a = version.artifact;
  const artifact: VersionSpec['artifact'] =
    a.kind === ArtifactKind.PACKAGE
      ? { kind: 'PACKAGE', url: a.packageUrl!, sha256: a.packageSha256!, sizeBytes: a.packageSizeBytes! }
      : {
          kind: 'TEMPLATE',
          templateId: a.hostTemplateIds.find((t) => t.host === host)?.templateId ?? a.templateId!,
          extJson: a.extJson ?? {},
          sizeBytes: null,
        };
  return { version: version.version, artifact, releaseNotes: version.releaseNotes };
}
