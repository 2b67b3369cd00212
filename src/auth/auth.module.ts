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
import { PartnerEntity, PartnerKeyEntity } from '../partners/partner.entity.js';
import { PartnerService } from '../partners/partner.service.js';
import { PartnersResolver } from '../partners/partners.resolver.js';

// Who calls: organizations and their API keys, partner platforms and their keys (src/partners/,
// registered here because key resolution needs both), the global guard.
@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity, ApiKeyEntity, PartnerEntity, PartnerKeyEntity]), EventsModule],
  providers: [
    ApiKeyService,
    KeyUsageRecorder,
    OrganizationService,
    PartnerService,
    RequestAuthenticator,
    AuthResolver,
    PartnersResolver,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [OrganizationService, PartnerService, RequestAuthenticator],
})
export class AuthModule {}
