import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { DeadlineInterceptor } from './deadline.interceptor.js';
import { QueryLimitsPlugin } from './query-limits.plugin.js';
import { RequestRateLimiter } from './request-rate-limiter.js';

/** Denial-of-service limits: query cost, alias and depth limits, per-caller rate limit, request deadline. */
@Module({
  imports: [AuthModule],
  providers: [RequestRateLimiter, QueryLimitsPlugin, { provide: APP_INTERCEPTOR, useClass: DeadlineInterceptor }],
  exports: [QueryLimitsPlugin, RequestRateLimiter],
})
export class LimitsModule {}
