import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogResolver } from './catalog.resolver.js';
import { MiniProgramEntity } from './mini-program.entity.js';
import { MiniProgramService } from './mini-program.service.js';
import { VersionPageLoader } from './version-page.loader.js';
import { VersionEntity } from './version.entity.js';
import { VersionService } from './version.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([MiniProgramEntity, VersionEntity])],
  providers: [MiniProgramService, VersionService, VersionPageLoader, CatalogResolver],
  exports: [MiniProgramService, VersionService],
})
export class CatalogModule {}
