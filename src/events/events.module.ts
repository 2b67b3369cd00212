import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventsService } from './events.service.js';
import { ListingEventEntity } from './listing-event.entity.js';
import { NotificationListener } from './notification-listener.js';

// Listing events (the append-only record of every state change) and the one NotificationListener
// per process, on its own connection to the application's database. Import this module where
// events are written or read, or notifications sent or heard; Nest shares the one instance.
@Module({
  imports: [TypeOrmModule.forFeature([ListingEventEntity])],
  providers: [
    EventsService,
    {
      provide: NotificationListener,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => {
        const url = (dataSource.options as { url?: string }).url;
        if (!url) throw new Error('the data source has no url to open the notification connection with');
        return new NotificationListener({ connectionString: url });
      },
    },
  ],
  exports: [EventsService, NotificationListener],
})
export class EventsModule {}
