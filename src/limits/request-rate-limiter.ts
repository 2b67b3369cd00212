import { Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { GatewayError } from '../common/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';

/**
 * RATE_LIMIT_REQUESTS operations per RATE_LIMIT_WINDOW_SECONDS for each caller, counted in this
 * gateway instance's memory (each instance counts its own callers).
 */
@Injectable()
export class RequestRateLimiter {
  private readonly limiter: RateLimiterMemory | null;

  constructor(config: GatewayConfig) {
    this.limiter =
      config.RATE_LIMIT_REQUESTS > 0 ? new RateLimiterMemory({ points: config.RATE_LIMIT_REQUESTS, duration: config.RATE_LIMIT_WINDOW_SECONDS }) : null;
  }

  /** Counts one operation for `caller`; a RATE_LIMITED error saying when to retry once over. */
  async consume(caller: string): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(caller);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw GatewayError.rateLimited(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
      throw res;
    }
  }
}
