import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { ApiKeyService } from './api-key.service.js';
import { AuthGuard } from './auth.guard.js';
import { AuthResolver } from './auth.resolver.js';
import { KeyUsageRecorder } from './key-usage.recorder.js';
import { OrganizationEntity } from './organization.entity.js';
import { OrganizationService } from './organization.service.js';
import { RequestAuthenticator } from './request-authenticator.js';

@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity, ApiKeyEntity]), EventsModule],
  providers: [ApiKeyService, KeyUsageRecorder, OrganizationService, RequestAuthenticator, AuthResolver, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [OrganizationService, RequestAuthenticator],
})
export class AuthModule {}
