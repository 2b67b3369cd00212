import { ConformancePushReceiver } from '../core/conformance/push-receiver.js';
import { createHttpTransport, HostError, InMemoryTokenStore, type CallContext, type HostEvent, type ParsedCallback } from '../core/index.js';
import { WechatSandbox } from './sandbox/wechat-sandbox.js';
import type { WechatCredentials } from './wechat.credentials.js';
import { wechatAdapterFactory } from './wechat.factory.js';

// Set-up shared by the WeChat specs that drive the adapter against its sandbox.

export const adapterFor = (sb: WechatSandbox, timeoutMs = 10_000) =>
  wechatAdapterFactory.create({
    baseUrl: sb.baseUrl,
    http: createHttpTransport({ defaultTimeoutMs: timeoutMs }),
    tokenStore: new InMemoryTokenStore(),
    timeoutMs,
  });

export async function newApp(sb: WechatSandbox): Promise<CallContext<WechatCredentials>> {
  const app = await sb.createApp();
  return { hostAppId: app.hostAppId, credentials: app.credentials as WechatCredentials };
}

export async function failure(p: Promise<unknown>): Promise<HostError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof HostError)) throw new Error(`expected a HostError, got ${String(err)}`);
  return err;
}

/** Pushes the receiver accepted, in arrival order. */
export const acceptedPushes = (receiver: ConformancePushReceiver): ParsedCallback[] => receiver.received.flatMap((r) => (r.parsed ? [r.parsed] : []));

export const pushEvents = (receiver: ConformancePushReceiver): HostEvent[] => acceptedPushes(receiver).flatMap((p) => p.events);
