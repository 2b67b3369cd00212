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

  @Query(() => [CategoryModel], { description: 'The gateway category taxonomy.' })
  @RequireAnyKey()
  categories(): CategoryModel[] {
    return [...CANONICAL_CATEGORIES];
  }

  @Query(() => MiniProgramModel)
  @RequireScope(Scope.CATALOG_READ)
  miniProgram(@CurrentPrincipal() p: Principal, @Args() { id }: IdArgs) {
    return this.programs.get(org(p), id);
  }

  @Query(() => MiniProgramConnection, { description: 'Newest first.' })
  @RequireScope(Scope.CATALOG_READ)
  miniPrograms(@CurrentPrincipal() p: Principal, @Args() args: MiniProgramsArgs) {
    return this.programs.list(org(p), args);
  }

  @Query(() => VersionModel)
  @RequireScope(Scope.CATALOG_READ)
  version(@CurrentPrincipal() p: Principal, @Args() { id }: IdArgs) {
    return this.versions.get(org(p), id);
  }

  @ResolveField('versions', () => VersionConnection, { description: 'Newest first.' })
  versionsOf(@Parent() program: Pick<MiniProgramModel, 'id'>, @CurrentPrincipal() p: Principal, @Args() args: PageArgs, @Context('req') req: object) {
    // The parent is typed structurally on purpose: with its class as the parameter type, the global
    // ValidationPipe copied and checked our own output once per node. Batched per request: the
    // versions of every program on a page come in one statement.
    return this.versionPages.load(req, org(p), program.id, args);
  }

  @Mutation(() => MiniProgramModel)
  @RequireScope(Scope.CATALOG_WRITE)
  createMiniProgram(@CurrentPrincipal() p: Principal, @Args('input') input: CreateMiniProgramInput) {
    return this.programs.create(org(p), input);
  }

  @Mutation(() => MiniProgramModel)
  @RequireScope(Scope.CATALOG_WRITE)
  updateMiniProgram(@CurrentPrincipal() p: Principal, @Args('input') input: UpdateMiniProgramInput) {
    return this.programs.update(org(p), input);
  }

  @Mutation(() => MiniProgramModel)
  @RequireScope(Scope.CATALOG_WRITE)
  archiveMiniProgram(@CurrentPrincipal() p: Principal, @Args('input') input: ArchiveMiniProgramInput) {
    return this.programs.setArchived(org(p), input.id, input.revision, true);
  }

  @Mutation(() => MiniProgramModel)
  @RequireScope(Scope.CATALOG_WRITE)
  unarchiveMiniProgram(@CurrentPrincipal() p: Principal, @Args('input') input: ArchiveMiniProgramInput) {
    return this.programs.setArchived(org(p), input.id, input.revision, false);
  }

  @Mutation(() => VersionModel)
  @RequireScope(Scope.CATALOG_WRITE)
  createVersion(@CurrentPrincipal() p: Principal, @Args('input') input: CreateVersionInput) {
    return this.versions.create(org(p), input);
  }

  @Mutation(() => VersionModel)
  @RequireScope(Scope.CATALOG_WRITE)
  updateVersion(@CurrentPrincipal() p: Principal, @Args('input') input: UpdateVersionInput) {
    return this.versions.update(org(p), input);
  }

  @Mutation(() => DeletedVersionModel)
  @RequireScope(Scope.CATALOG_WRITE)
  deleteVersion(@CurrentPrincipal() p: Principal, @Args() { id }: IdArgs) {
    return this.versions.delete(org(p), id);
  }
}
