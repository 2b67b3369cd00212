import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationListener } from './notification-listener.js';

// One NotificationListener per process, on its own connection to the application's database.
// Import this module where notifications are sent or heard; Nest shares the one instance.
@Module({
  providers: [
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
  exports: [NotificationListener],
})
export class EventsModule {}
