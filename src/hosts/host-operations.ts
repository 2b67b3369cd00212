import { channel } from 'node:diagnostics_channel';
import type { HostAdapter, HostId } from '../../adapters/core/index.js';

/**
 * Every host operation an adapter starts (`{ host, operation }`), for whoever subscribes: the
 * publish benchmark counts host steps with it. Publishing costs nothing while no one listens.
 */
export const HOST_OPERATION_CHANNEL = channel('gateway:host-operation');

export interface HostOperationMessage {
  host: HostId;
  operation: string;
}

/** The contract's methods that call the host (one each is one host step, whatever number of HTTP requests it takes). */
const HOST_OPERATIONS: ReadonlySet<string> = new Set<keyof HostAdapter>([
  'upload',
  'reviewStatus',
  'submitForReview',
  'withdrawReview',
  'speedUpReview',
  'release',
  'cancelGray',
  'rollback',
  'readListing',
  'analytics',
  'probe',
  'findUpload',
  'readBasicInfo',
  'applyBasicInfo',
  'basicInfoReviewStatus',
]);

/** `adapter` with each host operation announced on HOST_OPERATION_CHANNEL as it starts. */
export function observedAdapter(host: HostId, adapter: HostAdapter): HostAdapter {
  const wrapped = new Map<string, (...args: unknown[]) => unknown>();
  return new Proxy(adapter, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof prop !== 'string' || typeof value !== 'function' || !HOST_OPERATIONS.has(prop)) return value;
      let call = wrapped.get(prop);
      if (!call) {
        const method = value as (...args: unknown[]) => unknown;
        call = (...args: unknown[]) => {
          if (HOST_OPERATION_CHANNEL.hasSubscribers) HOST_OPERATION_CHANNEL.publish({ host, operation: prop } satisfies HostOperationMessage);
          return method.apply(target, args);
        };
        wrapped.set(prop, call);
      }
      return call;
    },
  });
}
