import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { HostRuntime } from './host-runtime.service.js';
import { HostsResolver } from './hosts.resolver.js';
import { ListingValidationService } from './listing-validation.service.js';

@Module({
  imports: [CatalogModule],
  providers: [HostRuntime, ListingValidationService, HostsResolver],
  exports: [HostRuntime, ListingValidationService],
})
export class HostsModule {}
