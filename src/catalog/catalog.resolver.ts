import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CANONICAL_CATEGORIES } from '../../adapters/core/taxonomy.js';
import { CurrentPrincipal, RequireAnyKey, RequireScope } from '../auth/access.decorators.js';
import { IdArgs } from '../auth/auth.inputs.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scopes.js';
import { ArchiveMiniProgramInput, CreateMiniProgramInput, MiniProgramsArgs, PageArgs, UpdateMiniProgramInput } from './catalog.inputs.js';
import { CategoryModel, DeletedVersionModel, MiniProgramConnection, MiniProgramModel, VersionConnection, VersionModel } from './catalog.models.js';
import { MiniProgramService } from './mini-program.service.js';
import { VersionPageLoader } from './version-page.loader.js';
import { VersionService } from './version.service.js';
import { CreateVersionInput, UpdateVersionInput } from './version.inputs.js';

// RequireScope refuses the operator key, so the principal here is always an organization key.
const org = (p: Principal) => (p.kind === 'apiKey' ? p.organizationId : '');

@Resolver(() => MiniProgramModel)
export class CatalogResolver {
  constructor(
    private readonly programs: MiniProgramService,
    private readonly versions: VersionService,
    private readonly versionPages: VersionPageLoader,
  ) {}

  @Query(() => [CategoryModel], {
    description:
      "The gateway's category taxonomy: top-level categories and their children, in a stable order. Definitions use these codes; each host adapter maps them to its own categories. Needs any valid key.",
  })
  @RequireAnyKey()
  categories(): CategoryModel[] {
    return [...CANONICAL_CATEGORIES];
  }

  @Query(() => MiniProgramModel, {
    description:
      'One mini-program of your organization; NOT_FOUND for an unknown id or one of another organization. Needs an organization key with CATALOG_READ.',
  })
  @RequireScope(Scope.CATALOG_READ)
  miniProgram(@CurrentPrincipal() p: Principal, @Args() { id }: IdArgs) {
    return this.programs.get(org(p), id);
  }

  @Query(() => MiniProgramConnection, {
    description:
      "Your organization's mini-programs, newest first, a page at a time (active ones unless the filter says archived). Needs an organization key with CATALOG_READ.",
  })
  @RequireScope(Scope.CATALOG_READ)
  miniPrograms(@CurrentPrincipal() p: Principal, @Args() args: MiniProgramsArgs) {
    return this.programs.list(org(p), args);
  }

  @Query(() => VersionModel, {
    description: 'One version of a mini-program of your organization; NOT_FOUND for an unknown id. Needs an organization key with CATALOG_READ.',
  })
  @RequireScope(Scope.CATALOG_READ)
  version(@CurrentPrincipal() p: Principal, @Args() { id }: IdArgs) {
    return this.versions.get(org(p), id);
  }

  @ResolveField('versions', () => VersionConnection, { description: 'The versions of this mini-program, newest first, a page at a time.' })
  versionsOf(@Parent() program: Pick<MiniProgramModel, 'id'>, @CurrentPrincipal() p: Principal, @Args() args: PageArgs, @Context('req') req: object) {
    // The parent is typed structurally on purpose: with its class as the parameter type, the global
    // ValidationPipe copied and checked our own output once per node. Batched per request: the
    // versions of every program on a page come in one statement.
    return this.versionPages.load(req, org(p), program.id, args);
  }

  @Mutation(() => MiniProgramModel, {
    description:
      'Defines a mini-program once for every host, at revision 1. BAD_USER_INPUT names every bad field; CONFLICT when the slug is taken. No host is called. Needs an organization key with CATALOG_WRITE.',
  })
  @RequireScope(Scope.CATALOG_WRITE)
  createMiniProgram(@CurrentPrincipal() p: Principal, @Args('input', { description: 'The definition.' }) input: CreateMiniProgramInput) {
    return this.programs.create(org(p), input);
  }

  @Mutation(() => MiniProgramModel, {
    description:
      'Changes a mini-program at the revision you read and returns it at the next revision. CONFLICT when the revision is stale or the slug is taken; nothing is written then. Needs an organization key with CATALOG_WRITE.',
  })
  @RequireScope(Scope.CATALOG_WRITE)
  updateMiniProgram(
    @CurrentPrincipal() p: Principal,
    @Args('input', { description: 'The mini-program, the revision you read and the fields to change.' }) input: UpdateMiniProgramInput,
  ) {
    return this.programs.update(org(p), input);
  }

  @Mutation(() => MiniProgramModel, {
    description:
      'Archives a mini-program: it leaves the default list and takes no new version. CONFLICT when the revision is stale or it is already archived. Needs an organization key with CATALOG_WRITE.',
  })
  @RequireScope(Scope.CATALOG_WRITE)
  archiveMiniProgram(
    @CurrentPrincipal() p: Principal,
    @Args('input', { description: 'The mini-program and the revision you read.' }) input: ArchiveMiniProgramInput,
  ) {
    return this.programs.setArchived(org(p), input.id, input.revision, true);
  }

  @Mutation(() => MiniProgramModel, {
    description:
      'Makes an archived mini-program active again. CONFLICT when the revision is stale or it is not archived. Needs an organization key with CATALOG_WRITE.',
  })
  @RequireScope(Scope.CATALOG_WRITE)
  unarchiveMiniProgram(
    @CurrentPrincipal() p: Principal,
    @Args('input', { description: 'The mini-program and the revision you read.' }) input: ArchiveMiniProgramInput,
  ) {
    return this.programs.setArchived(org(p), input.id, input.revision, false);
  }

  @Mutation(() => VersionModel, {
    description:
      'Adds a version to a mini-program. CONFLICT when the version number exists for it or the mini-program is archived. No host is called. Needs an organization key with CATALOG_WRITE.',
  })
  @RequireScope(Scope.CATALOG_WRITE)
  createVersion(@CurrentPrincipal() p: Principal, @Args('input', { description: 'The mini-program and the new version.' }) input: CreateVersionInput) {
    return this.versions.create(org(p), input);
  }

  @Mutation(() => VersionModel, {
    description:
      'Changes a version until a publish uses it. CONFLICT when it is locked or the new version number exists. Needs an organization key with CATALOG_WRITE.',
  })
  @RequireScope(Scope.CATALOG_WRITE)
  updateVersion(@CurrentPrincipal() p: Principal, @Args('input', { description: 'The version and the fields to change.' }) input: UpdateVersionInput) {
    return this.versions.update(org(p), input);
  }

  @Mutation(() => DeletedVersionModel, {
    description: 'Deletes a version no publish has used; CONFLICT when it is locked. Needs an organization key with CATALOG_WRITE.',
  })
  @RequireScope(Scope.CATALOG_WRITE)
  deleteVersion(@CurrentPrincipal() p: Principal, @Args() { id }: IdArgs) {
    return this.versions.delete(org(p), id);
  }
}
