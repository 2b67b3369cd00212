import { LoopbackServer, PushSender, SandboxFaultSwitches } from '../../core/sandbox-kit/index.js';
import type { HostSandbox, RawCallback, RecordedCall, ReviewDecision, ReviewPolicy, SandboxApp, SandboxLiveState } from '../../core/index.js';
import { BasicInfoDesk } from '../../core/index.js';
import { baseInfoView } from './sandbox-basic-info.js';
import { SandboxMiniApp, type SandboxVersion } from './sandbox-app.js';
import { newAppAuthToken, newAppId, newKeyPair, type PemPair } from './sandbox-crypto.js';
import { asRawCallback, buildPushForm, PUSH_CONTENT_TYPE } from './sandbox-pushes.js';
import { handleGatewayRequest } from './sandbox-server.js';

export interface AlipaySandboxOptions {
  /** How long a template build stays at build_status 1 before it reaches 2 (A2.1). */
  buildDelayMs: number;
  /** Answer bodies escape "/" as "\/" while signing the unescaped text (A1.4 retry case). */
  escapeSlashes: boolean;
  /**
   * The host's clock (builds, gmt_* times); tests pass one they move themselves, so a build is
   * finished when the test says so, not after a wall-clock wait.
   */
  now: () => number;
}

export interface AlipayRecordedCall extends RecordedCall {
  /** The gateway method (`alipay.open.mini.version.upload`); every call shares the path `/gateway.do`. */
  apiMethod: string;
  traceId: string;
}

const PASSED = 'alipay.open.mini.version.audit.passed';
const REJECTED = 'alipay.open.mini.version.audit.rejected';
const AUTH_CANCELLED = 'alipay.open.auth.appauth.cancelled';

/**
 * The Alipay open-platform gateway (OpenAPI 2.0) for one ISV app: signed calls at `/gateway.do`,
 * the mini-program version state machine of shared/hosts A2.4, async builds, reviews ended by
 * policy, and signed msgapi form pushes (A4).
 */
export class AlipaySandbox implements HostSandbox {
  readonly hostId = 'ALIPAY' as const;
  readonly options: AlipaySandboxOptions;
  readonly faults = new SandboxFaultSwitches();
  readonly recorded: AlipayRecordedCall[] = [];
  /** Base info (A2 baseinfo.modify/query) over the same record audit.apply uses; no review or quota is documented. */
  readonly basicInfo = new BasicInfoDesk({ quotas: {}, onDecided: () => undefined });
  /** The ISV app's key pair: the sandbox verifies requests with its public half. */
  readonly isvKeys: PemPair = newKeyPair('pkcs1');
  /** "Alipay"'s own key pair: responses and pushes are signed with its private half. */
  readonly alipayKeys: PemPair = newKeyPair('pkcs8');
  readonly isvAppId = newAppId();
  readonly pushes = new PushSender(this.faults);
  private readonly apps = new Map<string, SandboxMiniApp>();
  private readonly policies = new Map<string, ReviewPolicy>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly reviewTimers = new Map<string, NodeJS.Timeout>();
  private readonly http = new LoopbackServer(
    (req, res) =>
      handleGatewayRequest(this, req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      }),
    this.faults,
  );
  private url = '';
  private callbackUrl: string | null = null;
  private traceSeq = 0;

  constructor(options: Partial<AlipaySandboxOptions> = {}) {
    this.options = { buildDelayMs: 150, escapeSlashes: false, now: () => Date.now(), ...options };
  }

  get baseUrl(): string {
    return this.url;
  }

  get callbackSecrets() {
    return { appId: this.isvAppId, alipayPublicKey: this.alipayKeys.publicKey };
  }

  get calls(): readonly AlipayRecordedCall[] {
    return this.recorded;
  }

  async start(port = 0): Promise<string> {
    this.url = await this.http.listen(port);
    return this.url;
  }

  async stop(): Promise<void> {
    for (const t of [...this.timers, ...this.reviewTimers.values()]) clearTimeout(t);
    this.timers.clear();
    this.reviewTimers.clear();
    this.pushes.stop();
    await this.http.close();
  }

  async createApp(options: { name?: string } = {}): Promise<SandboxApp> {
    const app = new SandboxMiniApp(newAppId(), newAppAuthToken(), options.name ?? '沙箱小程序');
    this.basicInfo.register(app.appId, baseInfoView(app));
    this.apps.set(app.appId, app);
    return {
      hostAppId: app.appId,
      credentials: { appId: this.isvAppId, privateKey: this.isvKeys.privateKey, alipayPublicKey: this.alipayKeys.publicKey, appAuthToken: app.appAuthToken },
    };
  }

  appByToken(token: string | undefined): SandboxMiniApp | undefined {
    return token ? [...this.apps.values()].find((a) => a.appAuthToken === token) : undefined;
  }

  app(hostAppId: string): SandboxMiniApp {
    const app = this.apps.get(hostAppId);
    if (!app) throw new Error(`no sandbox app ${hostAppId}`);
    return app;
  }

  setReviewPolicy(hostAppId: string, policy: ReviewPolicy): void {
    this.policies.set(hostAppId, policy);
  }

  setCallbackUrl(url: string | null): void {
    this.callbackUrl = url;
  }

  clearCalls(): void {
    this.recorded.length = 0;
  }

  nextTraceId(): string {
    return `sandbox-${Date.now().toString(36)}-${++this.traceSeq}`;
  }

  /** Called by audit.apply: ends the review as the app's policy says. */
  reviewStarted(app: SandboxMiniApp, v: SandboxVersion): void {
    const policy = this.policies.get(app.appId) ?? { decision: 'approve' };
    // Alipay has no "review delayed" message (A4.1): a delayed review simply stays AUDITING.
    if (policy.decision === 'hold' || policy.decision === 'delay') return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.reviewTimers.delete(app.appId);
      this.decide(app, v, policy);
    }, policy.afterMs ?? 0);
    this.timers.add(t);
    this.reviewTimers.set(app.appId, t);
  }

  reviewCancelled(app: SandboxMiniApp): void {
    const t = this.reviewTimers.get(app.appId);
    if (t) clearTimeout(t);
    this.reviewTimers.delete(app.appId);
  }

  async decideReview(hostAppId: string, outcome: ReviewDecision): Promise<void> {
    const app = this.app(hostAppId);
    const v = app.find('AUDITING');
    if (!v) throw new Error(`app ${hostAppId} has no version under review`);
    this.reviewCancelled(app);
    this.decide(app, v, outcome);
    await this.pushes.settle();
  }

  /** The merchant cancels its authorisation: the token stops working and the ISV is told (A4.1). */
  revokeAuthorization(hostAppId: string): void {
    const app = this.app(hostAppId);
    const old = app.appAuthToken;
    app.appAuthToken = newAppAuthToken();
    this.push(AUTH_CANCELLED, { app_auth_token: old, app_id: this.isvAppId, auth_app_id: app.appId, user_id: '2088000000000001' });
  }

  live(hostAppId: string): SandboxLiveState {
    const app = this.app(hostAppId);
    const gray = app.find('GRAY');
    return {
      liveVersion: app.find('RELEASE')?.appVersion ?? null,
      grayVersion: gray?.appVersion ?? null,
      grayPercentage: gray ? Number(gray.grayStrategy.slice(1)) : null,
      inReview: app.find('AUDITING')?.appVersion ?? null,
    };
  }

  forgePush(hostAppId: string, kind: 'badSignature' | 'wrongAppId'): RawCallback {
    const biz = { mini_app_id: hostAppId, mini_app_version: '1.0.0' };
    if (kind === 'badSignature') return asRawCallback(buildPushForm(PASSED, biz, this.isvAppId, newKeyPair('pkcs8').privateKey));
    return asRawCallback(buildPushForm(PASSED, biz, newAppId(), this.alipayKeys.privateKey));
  }

  private decide(app: SandboxMiniApp, v: SandboxVersion, outcome: ReviewDecision): void {
    if (v.status !== 'AUDITING') return;
    if (outcome.decision === 'delay') return;
    const reason = outcome.decision === 'reject' ? outcome.reason : '';
    app.decide(v, outcome.decision, reason, new Date(this.options.now()));
    const biz: Record<string, unknown> = { mini_app_id: app.appId, mini_app_version: v.appVersion };
    if (outcome.decision === 'reject') biz.audit_reason = reason;
    this.push(outcome.decision === 'approve' ? PASSED : REJECTED, biz);
  }

  private push(msgMethod: string, biz: Record<string, unknown>): void {
    // A4.1: a retried notify keeps its notify_id, so a duplicate is the same form again.
    this.pushes.enqueue(this.callbackUrl, { body: buildPushForm(msgMethod, biz, this.isvAppId, this.alipayKeys.privateKey), contentType: PUSH_CONTENT_TYPE });
  }
}
