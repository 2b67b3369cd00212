import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireScope } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scopes.js';
import { ListingSyncRunArgs, ListingSyncPlanModel, ListingSyncRunModel, PlanListingSyncArgs, SyncListingInput } from './listing-sync.models.js';
import { ListingSyncService } from './listing-sync.service.js';

// RequireScope refuses the operator key, so the principal here is always an organization key.
const org = (p: Principal) => (p.kind === 'apiKey' ? p.organizationId : '');

@Resolver(() => ListingSyncRunModel)
export class ListingSyncResolver {
  constructor(private readonly listing: ListingSyncService) {}

  @Query(() => ListingSyncPlanModel, {
    description:
      "Plans a listing sync: reads each host's basic info and compares it, field by field, with the definition (host overrides applied), with what each change costs (a review, a quota use: the adapter's declared limit, the gateway's count and what the host reports) and what blocks it (a review in progress, a quota used up, a field the host's API cannot change, an icon whose sha256 does not match). Makes no change. BAD_USER_INPUT (rule hostNotBound) for hosts not bound. Needs an organization key with PUBLISH.",
  })
  @RequireScope(Scope.PUBLISH)
  planListingSync(@CurrentPrincipal() p: Principal, @Args() args: PlanListingSyncArgs): Promise<ListingSyncPlanModel> {
    return this.listing.planModel(org(p), args.miniProgramId, args.hosts, args.fields);
  }

  @Mutation(() => ListingSyncRunModel, {
    description:
      'Applies the listing plan: one step per field that differs per host, carried out by the workers (one host call per field, never doubled; reviews followed by push and polling). Refused before any change call, naming the field (fields.N) and the rule: BAD_USER_INPUT for fieldNotChangeable, fieldEmpty, hostNotBound and icon refusals (iconChecksumMismatch ...); CONFLICT when every refusal is a wait (reviewInProgress, quotaExhausted), or the idempotencyKey was used with another input. Needs an organization key with PUBLISH.',
  })
  @RequireScope(Scope.PUBLISH)
  syncListing(
    @CurrentPrincipal() p: Principal,
    @Args('input', { description: 'The mini-program, hosts and fields to sync, and the idempotency key.' }) input: SyncListingInput,
  ): Promise<ListingSyncRunModel> {
    return this.listing.sync(org(p), input);
  }

  @Query(() => ListingSyncRunModel, {
    description:
      'A listing sync run with each step: per host and field, its state, review outcome and reason, and the host evidence. Needs an organization key with PUBLISH.',
  })
  @RequireScope(Scope.PUBLISH)
  listingSyncRun(@CurrentPrincipal() p: Principal, @Args() args: ListingSyncRunArgs): Promise<ListingSyncRunModel> {
    return this.listing.run(org(p), args.id);
  }
}
