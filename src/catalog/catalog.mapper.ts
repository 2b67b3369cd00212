import type { Host } from '../common/host.enum.js';
import { ArtifactKind, type ArtifactModel, type HostOverrideModel, type MiniProgramModel, type VersionModel } from './catalog.models.js';
import type { ListingFields, MiniProgramEntity } from './mini-program.entity.js';
import type { ArtifactValue, VersionEntity } from './version.entity.js';
import type { HostOverrideInput } from './catalog.inputs.js';
import type { ArtifactInput } from './version.inputs.js';

export function toMiniProgramModel(row: MiniProgramEntity): MiniProgramModel {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    shortName: row.shortName,
    slogan: row.slogan,
    description: row.description,
    category: row.category,
    keywords: row.keywords,
    icon: row.icon,
    servicePhone: row.servicePhone,
    serviceEmail: row.serviceEmail,
    privacyPolicyUrl: row.privacyPolicyUrl,
    hostOverrides: Object.entries(row.hostOverrides)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([host, fields]): HostOverrideModel => ({ host: host as Host, ...fields })),
    syndicated: row.syndicated,
    archived: row.archivedAt !== null,
    archivedAt: row.archivedAt,
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Stores only the fields an override sets, keyed by host. */
export function toOverrideMap(inputs: HostOverrideInput[]): Partial<Record<string, ListingFields>> {
  const map: Partial<Record<string, ListingFields>> = {};
  for (const { host, ...fields } of inputs) {
    map[host] = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  }
  return map;
}

export function toArtifactValue(input: ArtifactInput): ArtifactValue {
  if (input.package) return { kind: 'PACKAGE', url: input.package.url, sha256: input.package.sha256, sizeBytes: input.package.sizeBytes };
  const t = input.template!;
  return {
    kind: 'TEMPLATE',
    templateId: t.templateId,
    extJson: t.extJson ?? {},
    hostTemplateIds: Object.fromEntries(t.hostTemplateIds.map((h) => [h.host, h.templateId])),
  };
}

export function toVersionModel(row: VersionEntity): VersionModel {
  return {
    id: row.id,
    miniProgramId: row.miniProgramId,
    version: row.version,
    artifact: toArtifactModel(row.artifact),
    releaseNotes: row.releaseNotes,
    locked: row.lockedAt !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toArtifactModel(a: ArtifactValue): ArtifactModel {
  if (a.kind === 'PACKAGE') {
    return {
      kind: ArtifactKind.PACKAGE,
      packageUrl: a.url,
      packageSha256: a.sha256,
      packageSizeBytes: a.sizeBytes,
      templateId: null,
      extJson: null,
      hostTemplateIds: [],
    };
  }
  return {
    kind: ArtifactKind.TEMPLATE,
    packageUrl: null,
    packageSha256: null,
    packageSizeBytes: null,
    templateId: a.templateId,
    extJson: a.extJson,
    hostTemplateIds: Object.entries(a.hostTemplateIds)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([host, templateId]) => ({ host: host as Host, templateId: templateId! })),
  };
}
