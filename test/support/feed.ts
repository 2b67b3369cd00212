import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ok } from './fixtures.js';
import type { TestGateway } from './test-gateway.js';

export const HOST_STATE_FIELDS = 'host hostAppId liveVersion grayVersion grayPercentage visibility reviewStage reviewVersion lastChangedAt deepLink qrCodeUrl';
export const LISTING_FIELDS = `id organizationId name shortName slogan description category keywords icon { url sha256 width height } privacyPolicyUrl
  syndicated archived createdAt updatedAt hosts { ${HOST_STATE_FIELDS} }`;
export const LISTINGS = `query($f: ListingFilterInput, $first: Int, $after: String) {
  listings(filter: $f, first: $first, after: $after) { edges { cursor node { ${LISTING_FIELDS} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

export type Listing = Record<string, any> & { id: string; hosts: Array<Record<string, any>> };

/** One page of listings. */
export async function listingsPage(gw: TestGateway, key: string, filter: Record<string, unknown> | null, first: number, after: string | null = null) {
  return ok(await gw.gql(LISTINGS, { f: filter, first, after }, key)).listings as {
    edges: Array<{ cursor: string; node: Listing }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** Every listing the key sees for the filter, walking all pages. */
export async function allListings(gw: TestGateway, key: string, filter: Record<string, unknown> | null, first = 100): Promise<Listing[]> {
  const out: Listing[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await listingsPage(gw, key, filter, first, after);
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

/** A word no other test uses, to find one test's listings with `search`. */
export const token = () => `t${randomBytes(5).toString('hex')}`;

/**
 * A host binding as the publishing pipeline leaves it once a version is live (or in gray), made
 * directly in the database: the feed only reads these rows, and the real pipeline is exercised
 * by the suite's publishing test. No credentials: the feed never reads them.
 */
export async function bindInDatabase(
  db: pg.Client,
  program: { id: string; organizationId: string },
  host: string,
  state: { live?: string | null; gray?: string | null; percentage?: number | null; disconnected?: boolean } = {},
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO host_bindings (id, organization_id, mini_program_id, host, host_app_id, live_version, gray_version, gray_percentage, visibility, disconnected_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, 'VISIBLE', CASE WHEN $8 THEN now() END) RETURNING id`,
    [
      program.organizationId,
      program.id,
      host,
      `app${randomBytes(6).toString('hex')}`,
      state.live ?? null,
      state.gray ?? null,
      state.percentage ?? null,
      state.disconnected ?? false,
    ],
  );
  return rows[0].id;
}
