// Column lists of the catalog's read statements. Each column is aliased to its entity property,
// so a plain pg row has the entity's shape and goes straight to the model mappers, without
// TypeORM's hydration on the read path.

export const PROGRAM_COLUMNS =
  'm.id, m.organization_id AS "organizationId", m.slug, m.name, m.short_name AS "shortName", m.slogan, m.description, m.category, m.keywords, m.icon, ' +
  'm.service_phone AS "servicePhone", m.service_email AS "serviceEmail", m.privacy_policy_url AS "privacyPolicyUrl", m.host_overrides AS "hostOverrides", ' +
  'm.syndicated, m.archived_at AS "archivedAt", m.revision, m.created_at AS "createdAt", m.updated_at AS "updatedAt"';

export const VERSION_COLUMNS =
  'v.id, v.organization_id AS "organizationId", v.mini_program_id AS "miniProgramId", v.version, v.artifact, v.release_notes AS "releaseNotes", ' +
  'v.locked_at AS "lockedAt", v.created_at AS "createdAt", v.updated_at AS "updatedAt"';
