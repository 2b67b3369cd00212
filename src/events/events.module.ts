import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsService } from './events.service.js';
import { ListingEventEntity } from './listing-event.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([ListingEventEntity])],
  providers: [EventsService],
  exports: [EventsService],
})
export class EventsModule {}
