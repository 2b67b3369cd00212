import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DATABASE_URL, JobsService } from './jobs.service.js';

/** The process's pg-boss, on the database the gateway uses. */
@Global()
@Module({})
export class JobsModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: JobsModule,
      providers: [{ provide: DATABASE_URL, useValue: databaseUrl }, JobsService],
      exports: [JobsService],
    };
  }
}
