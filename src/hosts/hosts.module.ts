import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module.js';
import { BindingService } from './binding.service.js';
import { BindingsResolver } from './bindings.resolver.js';
import { HostBindingEntity } from './host-binding.entity.js';
import { HostRuntime } from './host-runtime.service.js';
import { HostsResolver } from './hosts.resolver.js';
import { ListingValidationService } from './listing-validation.service.js';

@Module({
  imports: [CatalogModule, TypeOrmModule.forFeature([HostBindingEntity])],
  providers: [HostRuntime, ListingValidationService, HostsResolver, BindingService, BindingsResolver],
  exports: [HostRuntime, ListingValidationService, BindingService],
})
export class HostsModule {}
