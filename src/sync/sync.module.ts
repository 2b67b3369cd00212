import { Module, type OnModuleInit } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { HostsModule } from '../hosts/hosts.module.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { SyncService } from './sync.service.js';

@Module({
  imports: [HostsModule, EventsModule],
  providers: [SyncService],
  exports: [SyncService],
})
export class SyncModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly sync: SyncService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(QUEUES.bindingSync, (data) => this.sync.readBack(data.bindingId), 2);
  }
}
