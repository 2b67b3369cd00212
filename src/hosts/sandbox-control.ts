import type {
  BasicInfoField,
  BasicInfoReviewPolicy,
  HostId,
  RawCallback,
  SandboxBasicInfo,
  SandboxBasicInfoReview,
  ReviewDecision,
  ReviewPolicy,
  SandboxApp,
  SandboxLiveState,
} from '../../adapters/core/index.js';
import type { SandboxFaultSettings, SandboxInfo } from '../../adapters/core/sandbox-kit/index.js';

export type { SandboxFaultSettings };

/** One call a sandbox recorded, as its admin route lists them. */
export interface SandboxCall {
  method: string;
  path: string;
  query: Record<string, string>;
  answeredCode: string;
  at: string;
  /** Alipay: the gateway method (every call shares one path). */
  apiMethod?: string;
}

/**
 * The sandboxes' admin route over HTTP (adapters/core/sandbox-kit/admin-server.ts), the same
 * whether the sandboxes run in this process or in `npm run sandboxes`. Loopback only.
 */
export class SandboxControl {
  constructor(readonly adminUrl: string) {}

  hosts(): Promise<SandboxInfo[]> {
    return this.call('GET', '/__sandbox/hosts');
  }

  createApp(host: HostId, options: { name?: string; reviewPolicy?: ReviewPolicy } = {}): Promise<SandboxApp> {
    return this.call('POST', `/__sandbox/hosts/${host}/apps`, options);
  }

  setReviewPolicy(host: HostId, hostAppId: string, policy: ReviewPolicy): Promise<void> {
    return this.call('POST', `/__sandbox/hosts/${host}/review-policy`, { hostAppId, policy });
  }

  decideReview(host: HostId, hostAppId: string, outcome: ReviewDecision): Promise<void> {
    return this.call('POST', `/__sandbox/hosts/${host}/decide`, { hostAppId, outcome });
  }

  setCallbackUrl(host: HostId, url: string | null): Promise<void> {
    return this.call('POST', `/__sandbox/hosts/${host}/callback-url`, { url });
  }

  setFaults(host: HostId, faults: SandboxFaultSettings): Promise<void> {
    return this.call('POST', `/__sandbox/hosts/${host}/faults`, faults);
  }

  calls(host: HostId): Promise<SandboxCall[]> {
    return this.call('GET', `/__sandbox/hosts/${host}/calls`);
  }

  clearCalls(host: HostId): Promise<void> {
    return this.call('POST', `/__sandbox/hosts/${host}/clear-calls`);
  }

  /** A push the host never sent (bad signature, or addressed to another platform), to test refusals. */
  forgePush(host: HostId, hostAppId: string, kind: 'badSignature' | 'wrongAppId'): Promise<RawCallback> {
    return this.call('POST', `/__sandbox/hosts/${host}/forge-push`, { hostAppId, kind });
  }

  live(host: HostId, hostAppId: string): Promise<SandboxLiveState> {
    return this.call('GET', `/__sandbox/hosts/${host}/live/${encodeURIComponent(hostAppId)}`);
  }

  /** A sandbox app's basic info as the host keeps it: live values, reviews and quota use per field. */
  basicInfo(
    host: HostId,
    hostAppId: string,
  ): Promise<{ state: SandboxBasicInfo; reviews: SandboxBasicInfoReview[]; quotas: Record<BasicInfoField, { used: number; limit: number | null }> }> {
    return this.call('GET', `/__sandbox/hosts/${host}/basic-info/${encodeURIComponent(hostAppId)}`);
  }

  setBasicInfoReviewPolicy(host: HostId, hostAppId: string, policy: BasicInfoReviewPolicy): Promise<void> {
    return this.call('POST', `/__sandbox/hosts/${host}/basic-info-policy`, { hostAppId, policy });
  }

  decideBasicInfoReview(
    host: HostId,
    hostAppId: string,
    field: BasicInfoField,
    outcome: { decision: 'approve' } | { decision: 'reject'; reason: string },
  ): Promise<void> {
    return this.call('POST', `/__sandbox/hosts/${host}/basic-info-decide`, { hostAppId, field, outcome });
  }

  /** A change made in the host's console, not through its API (what drift checks catch). */
  changeBasicInfoOnHost(host: HostId, hostAppId: string, patch: Partial<SandboxBasicInfo>): Promise<void> {
    return this.call('POST', `/__sandbox/hosts/${host}/basic-info-change`, { hostAppId, patch });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, this.adminUrl), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`sandbox admin ${method} ${path}: ${answer.error ?? res.status}`);
    return answer;
  }
}
