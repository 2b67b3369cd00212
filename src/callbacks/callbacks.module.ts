import { Module, type OnModuleInit } from '@nestjs/common';
import { HostsModule } from '../hosts/hosts.module.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { ListingSyncModule } from '../listing-sync/listing-sync.module.js';
import { PublishingModule } from '../publishing/publishing.module.js';
import { CallbacksController } from './callbacks.controller.js';
import { InboxService } from './inbox.service.js';

@Module({
  imports: [HostsModule, PublishingModule, ListingSyncModule],
  controllers: [CallbacksController],
  providers: [InboxService],
  exports: [InboxService],
})
export class CallbacksModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly inbox: InboxService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(QUEUES.inboxApply, (data) => this.inbox.apply(data.callbackId), 2);
  }
}
