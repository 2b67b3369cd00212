import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, PushSender, SandboxFaultSwitches } from '../../core/sandbox-kit/index.js';
import { BasicInfoDesk, type SandboxBasicInfoReview } from '../../core/index.js';
import { basicInfoPushFields, initialWechatBasicInfo, WECHAT_SANDBOX_QUOTAS, type MediaItem } from './sandbox-basic-info.js';
import type { HostSandbox, RawCallback, RecordedCall, ReviewDecision, ReviewPolicy, SandboxApp, SandboxLiveState } from '../../core/index.js';
import { decide, inReview, type MiniApp } from './sandbox-app.js';
import { randomAlnum, randomHex } from './sandbox-crypto.js';
import { errorEnvelope, SandboxNativeError } from './sandbox-errors.js';
import { buildPush } from './sandbox-pushes.js';
import type { PlatformQuota } from './sandbox-routes.js';
import { handleSandboxRequest } from './sandbox-server.js';
import { SandboxTokens } from './sandbox-tokens.js';

export interface WechatSandboxOptions {
  /** Ticket push period (wechat.md §1.1: every 10 min); 0 disables the timer (use `pushTicket`). */
  ticketIntervalMs?: number;
  /** Platform-wide monthly submit_audit quota (§4: no fixed public number; 20 seen in the wild). */
  auditQuota?: number;
  speedupQuota?: number;
  /** Answer api_authorizer_token with a new refresh token each time (§1.3 leaves it open). */
  rotateRefreshTokens?: boolean;
}

export interface WechatRecordedCall extends RecordedCall {
  /** The request body as received (tests check `{}` bodies and the ext_json string). */
  body: string;
}

/** A loopback WeChat third-party platform: token flow, code management, audit pushes (wechat.md §8). */
export class WechatSandbox implements HostSandbox {
  readonly hostId = 'WECHAT' as const;
  readonly callbackSecrets: { componentAppId: string; token: string; encodingAesKey: string };
  readonly componentAppSecret = randomAlnum(32);
  readonly tokens = new SandboxTokens(() => Date.now());
  readonly faults = new SandboxFaultSwitches(() => this.tokens.expireAll());
  readonly apps = new Map<string, MiniApp>();
  readonly quota: PlatformQuota;
  readonly pushes = new PushSender(this.faults);
  readonly recorded: WechatRecordedCall[] = [];
  /** Names, descriptions, avatars and categories (§2.5), with their reviews and quotas. */
  readonly basicInfo = new BasicInfoDesk({ quotas: WECHAT_SANDBOX_QUOTAS, onDecided: (appId, review) => this.pushBasicInfoResult(appId, review) });
  /** Temporary media uploaded with media/upload, by media_id. */
  readonly media = new Map<string, MediaItem>();
  currentTicket: string;
  private readonly http = new LoopbackServer((req, res) => this.onRequest(req, res), this.faults);
  private url = '';
  private callbackUrl: string | null = null;
  private ticketTimer: NodeJS.Timeout | null = null;
  private auditSeq = 400_000_000 + Math.floor(Math.random() * 1_000_000);

  constructor(readonly options: WechatSandboxOptions = {}) {
    this.callbackSecrets = { componentAppId: `wx${randomHex(16)}`, token: randomAlnum(24), encodingAesKey: randomAlnum(43) };
    this.quota = {
      limit: options.auditQuota ?? 20,
      rest: options.auditQuota ?? 20,
      speedupLimit: options.speedupQuota ?? 10,
      speedupRest: options.speedupQuota ?? 10,
    };
    this.currentTicket = this.tokens.newTicket();
  }

  get baseUrl(): string {
    return this.url;
  }

  get calls(): readonly RecordedCall[] {
    return this.recorded;
  }

  async start(port = 0): Promise<string> {
    this.url = await this.http.listen(port);
    const every = this.options.ticketIntervalMs ?? 600_000;
    if (every > 0) this.ticketTimer = setInterval(() => this.pushTicket(), every).unref();
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.ticketTimer) clearInterval(this.ticketTimer);
    this.pushes.stop();
    this.basicInfo.stop();
    for (const app of this.apps.values()) if (app.audit?.timer) clearTimeout(app.audit.timer);
    await this.http.close();
  }

  async createApp(options: { name?: string } = {}): Promise<SandboxApp> {
    const appId = `wx${randomHex(16)}`;
    const app: MiniApp = {
      appId,
      ghId: `gh_${randomHex(12)}`,
      name: options.name ?? `Sandbox ${appId.slice(-4)}`,
      refreshToken: `refreshtoken@@@${randomAlnum(40)}`,
      exp: null,
      audit: null,
      release: null,
      history: [],
      gray: null,
      policy: { decision: 'approve' },
      undo: { day: '', dayCount: 0, month: '', monthCount: 0 },
      visitStatus: 1,
    };
    this.apps.set(appId, app);
    this.basicInfo.register(appId, initialWechatBasicInfo(app.name));
    const { componentAppId } = this.callbackSecrets;
    return {
      hostAppId: appId,
      credentials: {
        componentAppId,
        componentAppSecret: this.componentAppSecret,
        componentVerifyTicket: this.currentTicket,
        authorizerAppId: appId,
        authorizerRefreshToken: app.refreshToken,
      },
    };
  }

  /** The mini program's original id (gh_...), what audit pushes carry as ToUserName. */
  ghIdOf(hostAppId: string): string {
    return this.app(hostAppId).ghId;
  }

  setReviewPolicy(hostAppId: string, policy: ReviewPolicy): void {
    this.app(hostAppId).policy = policy;
  }

  async decideReview(hostAppId: string, outcome: ReviewDecision): Promise<void> {
    const app = this.app(hostAppId);
    if (!decide(app, outcome)) throw new Error(`no review in progress for ${hostAppId}`);
    this.pushAuditResult(app);
  }

  setCallbackUrl(url: string | null): void {
    this.callbackUrl = url;
  }

  clearCalls(): void {
    this.recorded.length = 0;
  }

  live(hostAppId: string): SandboxLiveState {
    const app = this.app(hostAppId);
    return {
      liveVersion: app.release?.version ?? null,
      grayVersion: app.gray?.version ?? null,
      grayPercentage: app.gray?.percentage ?? null,
      inReview: inReview(app) ? app.audit!.version : null,
    };
  }

  /** Issues a new ticket and pushes it to the auth-event URL (`<AppId>` envelope, §5.1). */
  pushTicket(): string {
    this.currentTicket = this.tokens.newTicket();
    const { componentAppId } = this.callbackSecrets;
    const inner = {
      AppId: componentAppId,
      CreateTime: Math.floor(Date.now() / 1000),
      InfoType: 'component_verify_ticket',
      ComponentVerifyTicket: this.currentTicket,
    };
    // The auth-event URL has no $APPID$ (§5); drop the placeholder when one URL serves both.
    this.pushes.enqueue(this.callbackUrl?.replaceAll('$APPID$', '') ?? null, {
      ...buildPush(this.callbackSecrets, inner, { AppId: componentAppId }),
      contentType: 'text/xml',
    });
    return this.currentTicket;
  }

  forgePush(hostAppId: string, kind: 'badSignature' | 'wrongAppId'): RawCallback {
    const app = this.app(hostAppId);
    const override = kind === 'badSignature' ? { token: `${this.callbackSecrets.token}x` } : { appId: `wx${randomHex(16)}` };
    const push = buildPush(this.callbackSecrets, this.auditEvent(app, 'weapp_audit_success'), { ToUserName: app.ghId }, override);
    return { method: 'POST', path: '/callbacks/wechat', headers: { 'content-type': 'text/xml' }, ...push };
  }

  nextAuditId(): number {
    return ++this.auditSeq;
  }

  /** Applies the app's review policy to a review that just started. */
  reviewStarted(app: MiniApp): void {
    const policy = app.policy;
    if (policy.decision === 'hold' || !app.audit) return;
    const audit = app.audit;
    audit.timer = setTimeout(() => {
      audit.timer = null;
      if (app.audit === audit && decide(app, policy)) this.pushAuditResult(app);
    }, policy.afterMs ?? 0);
  }

  app(hostAppId: string): MiniApp {
    const app = this.apps.get(hostAppId);
    if (!app) throw new Error(`unknown sandbox app ${hostAppId}`);
    return app;
  }

  private auditEvent(app: MiniApp, event: string): Record<string, string | number> {
    const now = Math.floor(Date.now() / 1000);
    const base = { ToUserName: app.ghId, FromUserName: `o${randomAlnum(27)}`, CreateTime: now, MsgType: 'event', Event: event };
    const a = app.audit;
    if (event === 'weapp_audit_success') return { ...base, SuccTime: now };
    if (event === 'weapp_audit_fail') return { ...base, Reason: a?.reason ?? '', FailTime: now, ScreenShot: a?.screenshots.join('|') ?? '' };
    return { ...base, Reason: a?.reason ?? '', DelayTime: now };
  }

  /** Name and category review results go to the message URL like audit results (§5.2). */
  private pushBasicInfoResult(appId: string, review: SandboxBasicInfoReview): void {
    const app = this.app(appId);
    const inner = basicInfoPushFields(app.ghId, review);
    if (!inner) return;
    const url = this.callbackUrl?.replaceAll('$APPID$', app.appId) ?? null;
    this.pushes.enqueue(url, () => ({ ...buildPush(this.callbackSecrets, inner, { ToUserName: app.ghId }), contentType: 'text/xml' }));
  }

  private pushAuditResult(app: MiniApp): void {
    const status = app.audit?.status;
    const event = status === 0 ? 'weapp_audit_success' : status === 1 ? 'weapp_audit_fail' : status === 4 ? 'weapp_audit_delay' : null;
    if (!event) return;
    // §5: the message URL may contain $APPID$, replaced with the authorizer appid.
    const url = this.callbackUrl?.replaceAll('$APPID$', app.appId) ?? null;
    this.pushes.enqueue(url, { ...buildPush(this.callbackSecrets, this.auditEvent(app, event), { ToUserName: app.ghId }), contentType: 'text/xml' });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await handleSandboxRequest(this, req, res);
    } catch (err) {
      const code = err instanceof SandboxNativeError ? err.errcode : -1;
      if (!res.headersSent) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(errorEnvelope(code)));
    }
  }
}
