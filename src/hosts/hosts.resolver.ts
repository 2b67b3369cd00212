import { Args, Query, Resolver } from '@nestjs/graphql';
import { HOST_IDS, type HostId } from '../../adapters/core/index.js';
import { CurrentPrincipal, RequireAnyKey, RequireScope } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scopes.js';
import type { ArtifactKind } from '../catalog/catalog.models.js';
import { HOST_ADAPTER_FACTORIES } from './host-adapter.registry.js';
import { HostRuntime } from './host-runtime.service.js';
import { HostInfoModel, HostModeValue, HostValidationModel, ValidateMiniProgramArgs } from './hosts.models.js';
import { ListingValidationService } from './listing-validation.service.js';

const MODES = { sandbox: HostModeValue.SANDBOX, live: HostModeValue.LIVE, off: HostModeValue.OFF } as const;

@Resolver()
export class HostsResolver {
  constructor(
    private readonly runtime: HostRuntime,
    private readonly validation: ListingValidationService,
  ) {}

  @Query(() => [HostInfoModel], {
    description: 'The hosts this gateway publishes to: how it reaches each one, what each offers and the listing limits each applies. Needs any valid key.',
  })
  @RequireAnyKey()
  hosts(): HostInfoModel[] {
    return HOST_IDS.map((host) => this.describe(host));
  }

  @Query(() => [HostValidationModel], {
    description:
      "Checks a mini-program and one of its versions against each host's listing rules, with its per-host overrides applied, and lists every broken rule. No host is called and nothing is written. NOT_FOUND when the mini-program or the version is unknown, or the version belongs to another mini-program. Needs an organization key with CATALOG_READ.",
  })
  @RequireScope(Scope.CATALOG_READ)
  validateMiniProgram(@CurrentPrincipal() p: Principal, @Args() args: ValidateMiniProgramArgs): Promise<HostValidationModel[]> {
    // RequireScope refuses the operator key, so the principal is an organization key.
    const organizationId = p.kind === 'apiKey' ? p.organizationId : '';
    return this.validation.validate(organizationId, args.id, args.versionId, args.hosts);
  }

  private describe(host: HostId): HostInfoModel {
    const { capabilities: c } = this.runtime.adapter(host);
    const { profile } = HOST_ADAPTER_FACTORIES[host];
    return {
      host,
      displayName: profile.displayName,
      mode: MODES[this.runtime.mode],
      baseUrl: this.runtime.baseUrl(host),
      capabilities: {
        grayRelease: c.grayRelease && { ...c.grayRelease, allowedPercentages: c.grayRelease.allowedPercentages && [...c.grayRelease.allowedPercentages] },
        rollback: c.rollback,
        withdrawReview: c.withdrawReview,
        speedUpReview: c.speedUpReview,
        analytics: c.analytics,
        reviewPushes: c.reviewPushes,
        basicInfoSync: c.basicInfoSync,
        artifactKinds: c.artifactKinds.map((k) => k as ArtifactKind),
      },
      limits: profile.limits.map((l) => ({ ...l })),
    };
  }
}
