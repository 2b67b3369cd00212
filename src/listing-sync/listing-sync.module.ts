import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module.js';
import { EventsModule } from '../events/events.module.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { BasicInfoQuotaUseEntity } from './basic-info-quota-use.entity.js';
import { ListingStepRunner } from './listing-step-runner.service.js';
import { ListingSyncRunEntity } from './listing-sync-run.entity.js';
import { ListingSyncStepEntity } from './listing-sync-step.entity.js';
import { ListingSyncResolver } from './listing-sync.resolver.js';
import { ListingSyncService } from './listing-sync.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ListingSyncRunEntity, ListingSyncStepEntity, BasicInfoQuotaUseEntity]), CatalogModule, HostsModule, EventsModule],
  providers: [ListingSyncService, ListingStepRunner, ListingSyncResolver],
  exports: [ListingSyncService],
})
export class ListingSyncModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly steps: ListingStepRunner,
  ) {}

  onModuleInit(): void {
    this.jobs.register(QUEUES.listingStep, (data) => this.steps.run(data.stepId));
  }
}
