import type { Principal } from '../auth/principal.js';
import { GatewayError } from '../common/gateway-error.js';
import type { ListingFilterInput } from './feed.inputs.js';

/**
 * Who sees what in the feed, as SQL over a `mini_programs` row, shared by `listings`, `changes`,
 * the live subscription and webhooks so they can never disagree:
 * - a partner key sees a mini-program when its owner syndicated it, it is not archived and it is
 *   live (or in gray release) on at least one host: drafts, unsyndicated and archived programs
 *   never appear, whichever organization owns them;
 * - an organization key sees every mini-program of its own organization (drafts, unsyndicated
 *   and archived included), and nothing of any other.
 * The operator key reads no feed (it belongs to neither).
 *
 * Each function appends its values to `params` and returns SQL that refers to them as `$n`, so
 * predicates compose in one statement: `WHERE ${feedScope(p, params)} AND ...`.
 */
export const FeedScope = {
  /** The predicate a `mini_programs` row (alias `program`) must meet for `principal` to see it. */
  predicate(principal: Principal, params: unknown[], program = 'm'): string {
    if (principal.kind === 'apiKey') return `${program}.organization_id = $${params.push(principal.organizationId)}::uuid`;
    if (principal.kind === 'partner') {
      return (
        `(${program}.syndicated AND ${program}.archived_at IS NULL AND EXISTS (SELECT 1 FROM host_bindings sb WHERE sb.mini_program_id = ${program}.id ` +
        'AND sb.disconnected_at IS NULL AND (sb.live_version IS NOT NULL OR sb.gray_version IS NOT NULL)))'
      );
    }
    throw new GatewayError('FORBIDDEN', 'The operator key reads no feed; use a partner key or an organization key with FEED_READ');
  },

  /** Whether the caller sees host-side detail meant for the owner only (never true for a partner). */
  isOwner(principal: Principal): boolean {
    return principal.kind === 'apiKey';
  },

  /**
   * The filter as predicates over a `mini_programs` row (alias `program`), ANDed by the caller.
   * A host and a stage given together must hold for the same host binding.
   */
  filter(filter: ListingFilterInput | null | undefined, params: unknown[], program = 'm'): string[] {
    const where: string[] = [];
    if (!filter) return where;
    const param = (value: unknown, cast: string) => `$${params.push(value)}::${cast}`;
    if (filter.categories?.length) {
      const codes = param(filter.categories, 'text[]');
      where.push(`(${program}.category = ANY(${codes}) OR split_part(${program}.category, '.', 1) = ANY(${codes}))`);
    }
    if (filter.search) {
      const pattern = param(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, 'text');
      where.push(
        `(${program}.name ILIKE ${pattern} OR ${program}.short_name ILIKE ${pattern} OR EXISTS (SELECT 1 FROM unnest(${program}.keywords) kw WHERE kw ILIKE ${pattern}))`,
      );
    }
    const binding: string[] = [];
    if (filter.hosts?.length) binding.push(`fb.host = ANY(${param(filter.hosts, 'text[]')})`);
    if (filter.stages?.length) binding.push(`${LATEST_SUBMISSION} = ANY(${param(filter.stages, 'text[]')})`);
    if (binding.length) where.push(`EXISTS (${activeBindings(program, binding)})`);
    if (filter.updatedSince) {
      // As Listing.updatedAt: the definition, or an active binding's last change (its creation or its latest event).
      const since = param(filter.updatedSince.toISOString(), 'timestamptz');
      where.push(
        `(${program}.updated_at >= ${since} OR EXISTS (${activeBindings(program, [
          `(fb.created_at >= ${since} OR EXISTS (SELECT 1 FROM listing_events fe WHERE fe.mini_program_id = ${program}.id AND fe.binding_id = fb.id AND fe.created_at >= ${since}))`,
        ])}))`,
      );
    }
    return where;
  },
};

// The stage of a binding's latest submission, as a scalar subquery over `fb`.
const LATEST_SUBMISSION = '(SELECT s.stage FROM submissions s WHERE s.binding_id = fb.id ORDER BY s.created_at DESC LIMIT 1)';

// The active (not disconnected) bindings of a program that meet every condition (over `fb`).
function activeBindings(program: string, conditions: string[]): string {
  return `SELECT 1 FROM host_bindings fb WHERE fb.mini_program_id = ${program}.id AND fb.disconnected_at IS NULL AND ${conditions.join(' AND ')}`;
}
