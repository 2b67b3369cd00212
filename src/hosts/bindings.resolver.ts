import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireScope } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { Scope } from '../auth/scopes.js';
import { MiniProgramModel } from '../catalog/catalog.models.js';
import { BindingService } from './binding.service.js';
import { ConnectHostInput, CreateSandboxAppArgs, HostBindingModel, SandboxAppModel } from './bindings.models.js';

// RequireScope refuses the operator key, so the principal here is always an organization key.
const org = (p: Principal) => (p.kind === 'apiKey' ? p.organizationId : '');

@Resolver(() => MiniProgramModel)
export class BindingsResolver {
  constructor(private readonly bindings: BindingService) {}

  @Mutation(() => HostBindingModel, {
    description:
      "Binds a mini-program to an app on a host. Refused with BAD_USER_INPUT naming each credentials field the host's rules reject, or when the host refuses them on a cheap authenticated call; CONFLICT when the mini-program or the host app is already bound. The credentials are stored encrypted and never returned. Needs an organization key with PUBLISH.",
  })
  @RequireScope(Scope.PUBLISH)
  connectHost(
    @CurrentPrincipal() p: Principal,
    @Args('input', { description: 'The host app to bind and its credentials.' }) input: ConnectHostInput,
  ): Promise<HostBindingModel> {
    return this.bindings.connect(org(p), input);
  }

  @Mutation(() => SandboxAppModel, {
    description:
      "Makes an app on a host's sandbox and returns sandbox credentials for connectHost, so a newcomer can publish without a host account. FORBIDDEN unless the gateway runs with HOSTS_MODE=sandbox. Needs an organization key with PUBLISH.",
  })
  @RequireScope(Scope.PUBLISH)
  createSandboxApp(@Args() args: CreateSandboxAppArgs): Promise<SandboxAppModel> {
    return this.bindings.createSandboxApp(args.host, args.name);
  }

  @ResolveField('bindings', () => [HostBindingModel], { description: 'The hosts this mini-program is bound to (active bindings), by host.' })
  bindingsOf(@Parent() program: MiniProgramModel, @CurrentPrincipal() p: Principal): Promise<HostBindingModel[]> {
    return this.bindings.listForProgram(org(p), program.id);
  }
}
