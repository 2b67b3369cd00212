import type { Principal } from '../auth/principal.js';
import type { EventScope } from './visible-events.js';

/** The events a principal may read live or receive by webhook. */
export function scopeOf(principal: Principal): EventScope {
  if (principal.kind === 'apiKey') return { kind: 'organization', organizationId: principal.organizationId };
  if (principal.kind === 'partner') return { kind: 'syndicated' };
  // The access rules refuse the operator before this point; an operator scope would be a bug.
  throw new Error('the operator key has no feed scope');
}
