import { Injectable } from '@nestjs/common';
import { GatewayError } from '../common/gateway-error.js';
import { ApiKeyService } from './api-key.service.js';
import type { Principal } from './principal.js';

/** The parts of a request authentication reads and writes (a Fastify request in practice). */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  principalLookup?: Promise<Principal>;
}

const BEARER = /^Bearer +([\x21-\x7e]+)$/i;

/**
 * Who is calling: resolved once per request, whoever asks first (the rate limiter before the
 * operation runs, or the guard of the first resolver), and shared by every resolver of it.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(private readonly apiKeys: ApiKeyService) {}

  principalOf(req: AuthenticatedRequest): Promise<Principal> {
    if (!req.principalLookup) {
      req.principalLookup = this.authenticate(req.headers.authorization).then((principal) => (req.principal = principal));
      // Whoever awaits it sees the error; this only keeps an unawaited rejection from being "unhandled".
      req.principalLookup.catch(() => undefined);
    }
    return req.principalLookup;
  }

  private async authenticate(header: string | string[] | undefined): Promise<Principal> {
    if (header === undefined || header === '') throw new GatewayError('UNAUTHENTICATED', 'Missing API key: send Authorization: Bearer <key>');
    const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
    if (!match) throw new GatewayError('UNAUTHENTICATED', 'Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII');
    const principal = await this.apiKeys.resolve(match[1]);
    if (!principal) throw new GatewayError('UNAUTHENTICATED', 'Unknown or revoked API key');
    return principal;
  }
}
