import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireScope } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scopes.js';
import { PageArgs } from '../catalog/catalog.inputs.js';
import { MiniProgramModel } from '../catalog/catalog.models.js';
import { EventsArgs, ListingEventConnection } from '../events/events.models.js';
import { EventsService } from '../events/events.service.js';
import { BindingService } from '../hosts/binding.service.js';
import { DisconnectHostInput, HostBindingModel } from '../hosts/bindings.models.js';
import {
  BindingIdArgs,
  PublishInput,
  PublishProgressModel,
  PublishRunConnection,
  PublishRunModel,
  ReleaseInput,
  RunIdArgs,
  SubmissionIdArgs,
  SubmissionModel,
} from './publishing.models.js';
import { progressOf, PublishingService, toSubmissionModel } from './publishing.service.js';

// RequireScope refuses the operator key, so the principal here is always an organization key.
const org = (p: Principal) => (p.kind === 'apiKey' ? p.organizationId : '');

@Resolver(() => PublishRunModel)
export class PublishingResolver {
  constructor(
    private readonly publishing: PublishingService,
    private readonly bindings: BindingService,
  ) {}

  @Mutation(() => PublishRunModel, {
    description:
      'Publishes a version to several hosts at once and returns the run at once; the workers then upload, submit for review and (AUTO) release on each host. Refused with BAD_USER_INPUT listing every host rule the definition or version breaks (as validateMiniProgram), every host not bound (rule hostNotBound) and every gray percentage a host does not take; CONFLICT when another version is still in flight on a host, or when the idempotencyKey was used with another input. Locks the version. Needs an organization key with PUBLISH.',
  })
  @RequireScope(Scope.PUBLISH)
  publish(
    @CurrentPrincipal() p: Principal,
    @Args('input', { description: 'What to publish, where, and how to release it.' }) input: PublishInput,
  ): Promise<PublishRunModel> {
    return this.publishing.publish(org(p), input);
  }

  @Mutation(() => SubmissionModel, {
    description:
      'Releases an APPROVED or GRAY submission, in full or (grayPercentage) to a share of users. BAD_USER_INPUT (rule capabilityMissing) when the host has no gray release or refuses the percentage; CONFLICT (rule stageDoesNotAllow) in any other stage. The workers carry it out; follow the submission. Needs an organization key with PUBLISH.',
  })
  @RequireScope(Scope.PUBLISH)
  release(
    @CurrentPrincipal() p: Principal,
    @Args('input', { description: 'The submission to release, and the gray percentage for a staged release.' }) input: ReleaseInput,
  ): Promise<SubmissionModel> {
    return this.publishing.release(org(p), input.submissionId, input.grayPercentage ?? null);
  }

  @Mutation(() => SubmissionModel, {
    description:
      'Stops a gray release: users in the slice go back to the live version, the submission goes back to APPROVED. Refused where the host cannot cancel a gray release, or unless GRAY. Needs an organization key with PUBLISH.',
  })
  @RequireScope(Scope.PUBLISH)
  cancelGray(@CurrentPrincipal() p: Principal, @Args() { submissionId }: SubmissionIdArgs): Promise<SubmissionModel> {
    return this.publishing.cancelGray(org(p), submissionId);
  }

  @Mutation(() => SubmissionModel, {
    description:
      "Puts the previously live version back on a binding's host; the released submission goes to ROLLED_BACK. Refused where the host has no rollback, or when nothing released through the gateway is live or no earlier version is known. Needs an organization key with PUBLISH.",
  })
  @RequireScope(Scope.PUBLISH)
  rollback(@CurrentPrincipal() p: Principal, @Args() { bindingId }: BindingIdArgs): Promise<SubmissionModel> {
    return this.publishing.rollback(org(p), bindingId);
  }

  @Mutation(() => SubmissionModel, {
    description:
      'Withdraws a submission from review (IN_REVIEW or APPROVED). Refused where the host has no withdrawal API or in any other stage. Needs an organization key with PUBLISH.',
  })
  @RequireScope(Scope.PUBLISH)
  withdrawReview(@CurrentPrincipal() p: Principal, @Args() { submissionId }: SubmissionIdArgs): Promise<SubmissionModel> {
    return this.publishing.withdrawReview(org(p), submissionId);
  }

  @Mutation(() => SubmissionModel, {
    description:
      "Asks the host to expedite a review (IN_REVIEW). Refused where the host has no such API; the host's quota applies. Needs an organization key with PUBLISH.",
  })
  @RequireScope(Scope.PUBLISH)
  speedUpReview(@CurrentPrincipal() p: Principal, @Args() { submissionId }: SubmissionIdArgs): Promise<SubmissionModel> {
    return this.publishing.speedUpReview(org(p), submissionId);
  }

  @Mutation(() => SubmissionModel, {
    description:
      'Tries a submission again: FAILED starts over from PENDING; REJECTED or WITHDRAWN is submitted for review again (after you fixed the listing). Refused in any other stage. Needs an organization key with PUBLISH.',
  })
  @RequireScope(Scope.PUBLISH)
  retrySubmission(@CurrentPrincipal() p: Principal, @Args() { submissionId }: SubmissionIdArgs): Promise<SubmissionModel> {
    return this.publishing.retrySubmission(org(p), submissionId);
  }

  @Mutation(() => PublishRunModel, {
    description:
      'Cancels a run: submissions not yet in review end FAILED (cancelled), those in review are withdrawn where the host allows; released ones stay. CONFLICT when already cancelled or nothing can be cancelled. Needs an organization key with PUBLISH.',
  })
  @RequireScope(Scope.PUBLISH)
  cancelPublishRun(@CurrentPrincipal() p: Principal, @Args() { id }: RunIdArgs): Promise<PublishRunModel> {
    return this.publishing.cancelPublishRun(org(p), id);
  }

  @Mutation(() => HostBindingModel, {
    description: 'Ends a host binding and erases its credentials. CONFLICT while a version is in flight on it. Needs an organization key with PUBLISH.',
  })
  @RequireScope(Scope.PUBLISH)
  disconnectHost(
    @CurrentPrincipal() p: Principal,
    @Args('input', { description: 'The binding to remove.' }) input: DisconnectHostInput,
  ): Promise<HostBindingModel> {
    return this.bindings.disconnect(org(p), input.id, (m, id) => this.publishing.bindingBusy(m, id));
  }

  @Query(() => PublishRunModel, { description: 'One publish run with its submissions and progress. Needs an organization key with CATALOG_READ.' })
  @RequireScope(Scope.CATALOG_READ)
  publishRun(@CurrentPrincipal() p: Principal, @Args() { id }: RunIdArgs): Promise<PublishRunModel> {
    return this.publishing.run(org(p), id);
  }

  @ResolveField('submissions', () => [SubmissionModel], { description: 'One submission per host, in the order the hosts were given.' })
  async submissions(@Parent() run: PublishRunModel): Promise<SubmissionModel[]> {
    return (await this.publishing.submissionsOf(run.id)).map(toSubmissionModel);
  }

  @ResolveField('progress', () => PublishProgressModel, { description: 'Where the submissions stand, counted by what they wait for.' })
  async progress(@Parent() run: PublishRunModel): Promise<PublishProgressModel> {
    return progressOf(await this.publishing.submissionsOf(run.id));
  }
}

@Resolver(() => MiniProgramModel)
export class MiniProgramPublishingResolver {
  constructor(
    private readonly publishing: PublishingService,
    private readonly events: EventsService,
  ) {}

  @ResolveField('publishRuns', () => PublishRunConnection, { description: 'Publish runs of this mini-program, newest first.' })
  publishRuns(@Parent() program: MiniProgramModel, @CurrentPrincipal() p: Principal, @Args() args: PageArgs) {
    return this.publishing.listRuns(org(p), program.id, args);
  }

  @ResolveField('events', () => ListingEventConnection, {
    description: 'Listing events of this mini-program on every host, oldest first (keyset on the global sequence).',
  })
  eventsOf(@Parent() program: MiniProgramModel, @CurrentPrincipal() p: Principal, @Args() args: EventsArgs) {
    return this.events.listForProgram(org(p), program.id, args);
  }
}
