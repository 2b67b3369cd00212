import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module.js';
import { EventsModule } from '../events/events.module.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { SyncModule } from '../sync/sync.module.js';
import { PublishRunEntity } from './publish-run.entity.js';
import { MiniProgramPublishingResolver, PublishingResolver } from './publishing.resolver.js';
import { PublishingService } from './publishing.service.js';
import { StepRunner } from './step-runner.service.js';
import { SubmissionEntity } from './submission.entity.js';
import { SweeperService } from './sweeper.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([PublishRunEntity, SubmissionEntity]), CatalogModule, HostsModule, EventsModule, SyncModule],
  providers: [PublishingService, StepRunner, SweeperService, PublishingResolver, MiniProgramPublishingResolver],
  exports: [PublishingService, StepRunner],
})
export class PublishingModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly steps: StepRunner,
  ) {}

  onModuleInit(): void {
    this.jobs.register(QUEUES.submissionStep, (data) => this.steps.run(data.submissionId));
  }
}
