import { BasicInfoDesk } from '../../core/index.js';
import { BYTEDANCE_SANDBOX_QUOTAS, initialBytedanceBasicInfo } from './sandbox-basic-info.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, PushSender, SandboxFaultSwitches } from '../../core/sandbox-kit/index.js';
import type { HostSandbox, RawCallback, RecordedCall, ReviewDecision, ReviewPolicy, SandboxApp, SandboxLiveState } from '../../core/index.js';
import { decide, newApp, type AuditSlot, type DyApp, type SlotRules } from './sandbox-app.js';
import { randomAlnum, randomHex } from './sandbox-crypto.js';
import { buildPush } from './sandbox-pushes.js';
import { handleSandboxRequest } from './sandbox-server.js';
import { SandboxTokens } from './sandbox-tokens.js';

export interface BytedanceSandboxOptions extends Partial<SlotRules> {
  /** Ticket push period (C1: every 10 min); 0 disables the timer (use `pushTicket`). */
  ticketIntervalMs?: number;
  /**
   * The clock of the slot rules (submit gap, rollback gap, revoke window); tests pass one they
   * move themselves, so a gap is over when the test says so, not after a wall-clock wait.
   */
  now?: () => number;
}

export interface BytedanceRecordedCall extends RecordedCall {
  /** The request body as received (tests check template_id and the ext_json string). */
  body: string;
}

const eventTime = (d = new Date()) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/** A loopback Douyin third-party platform (V2): tokens, the slot state machine and encrypted pushes (Part C). */
export class BytedanceSandbox implements HostSandbox {
  readonly hostId = 'BYTEDANCE' as const;
  readonly callbackSecrets: { componentAppId: string; token: string; encodingAesKey: string };
  readonly componentAppSecret = randomAlnum(32);
  readonly tokens = new SandboxTokens(() => Date.now());
  readonly faults = new SandboxFaultSwitches(() => this.tokens.expireAll());
  readonly apps = new Map<string, DyApp>();
  readonly pushes = new PushSender(this.faults);
  readonly recorded: BytedanceRecordedCall[] = [];
  /** Name, intro and icon (V2 base-info APIs) with their reviews and remaining changes. */
  readonly basicInfo = new BasicInfoDesk({ quotas: BYTEDANCE_SANDBOX_QUOTAS, onDecided: () => undefined });
  /** Materials taken by upload_material, by the path it answered. */
  readonly materials = new Map<string, { appId: string; sha256: string; url: string; contentType: string }>();
  readonly rules: SlotRules;
  currentTicket: string;
  private readonly http = new LoopbackServer((req, res) => this.onRequest(req, res), this.faults);
  private url = '';
  private callbackUrl: string | null = null;
  private ticketTimer: NodeJS.Timeout | null = null;

  constructor(readonly options: BytedanceSandboxOptions = {}) {
    this.callbackSecrets = { componentAppId: `tt${randomHex(16)}`, token: randomAlnum(24), encodingAesKey: randomAlnum(43) };
    this.rules = {
      submitIntervalMs: options.submitIntervalMs ?? 10_000,
      rollbackIntervalMs: options.rollbackIntervalMs ?? 10 * 60_000,
      revocableForMs: options.revocableForMs ?? Number.POSITIVE_INFINITY,
      auditHosts: options.auditHosts ?? ['douyin'],
    };
    this.currentTicket = this.tokens.newTicket();
  }

  /** The time the slot rules see (`options.now`, else the wall clock). */
  now(): number {
    return this.options.now?.() ?? Date.now();
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
    const appId = `tt${randomHex(16)}`;
    const app = newApp(appId, options.name ?? `Sandbox ${appId.slice(-4)}`, `isvrft.${randomAlnum(40)}`, Date.now());
    this.apps.set(appId, app);
    this.basicInfo.register(appId, initialBytedanceBasicInfo(app.name));
    const { componentAppId } = this.callbackSecrets;
    return {
      hostAppId: appId,
      credentials: {
        componentAppId,
        componentAppSecret: this.componentAppSecret,
        componentTicket: this.currentTicket,
        authorizerAppId: appId,
        authorizerRefreshToken: app.refreshToken,
      },
    };
  }

  setReviewPolicy(hostAppId: string, policy: ReviewPolicy): void {
    this.app(hostAppId).policy = policy;
  }

  async decideReview(hostAppId: string, outcome: ReviewDecision): Promise<void> {
    const app = this.app(hostAppId);
    if (app.audit?.status !== 0) throw new Error(`no review in progress for ${hostAppId}`);
    if (decide(app, outcome)) this.pushAuditResult(app);
  }

  setCallbackUrl(url: string | null): void {
    this.callbackUrl = url;
  }

  clearCalls(): void {
    this.recorded.length = 0;
  }

  live(hostAppId: string): SandboxLiveState {
    const app = this.app(hostAppId);
    const shares = Object.values(app.gray?.hostGrayScale ?? {}).map(Number);
    return {
      liveVersion: app.current?.version ?? null,
      grayVersion: app.gray?.version ?? null,
      grayPercentage: app.gray && shares.length > 0 ? Math.max(...shares) : null,
      inReview: app.audit?.status === 0 ? app.audit.version : null,
    };
  }

  /**
   * Starts a gray release of the approved, unpublished version as the console does (there is no
   * third-party gray API, Part D), with a percentage per host as host_gray_scale shows it.
   */
  setConsoleGray(hostAppId: string, hostGrayScale: Record<string, string>): void {
    const app = this.app(hostAppId);
    const a = app.audit;
    if (!a || a.status !== 1 || a.hasPublish) throw new Error(`no approved, unpublished version to gray for ${hostAppId}`);
    app.gray = { version: a.version, summary: a.summary, ctime: a.ctime, templateId: a.templateId, hostGrayScale: { ...hostGrayScale } };
  }

  /** Issues a new ticket and pushes it (C1: `MsgType: Ticket`); the previous ticket stays accepted. */
  pushTicket(): string {
    const ticket = (this.currentTicket = this.tokens.newTicket());
    const message = { Ticket: ticket, FromUserName: 'ByteDanceMicroApp', CreateTime: eventTime(), MsgType: 'Ticket', Event: 'PUSH' };
    this.pushes.enqueue(this.callbackUrl, () => ({ body: buildPush(this.callbackSecrets, message), contentType: 'application/json' }));
    return ticket;
  }

  /** Pushes an authorization event for the app (C1 authorization events). */
  pushAuthorizationEvent(hostAppId: string, event: 'AUTHORIZED' | 'UNAUTHORIZED' | 'UPDATE_AUTHORIZED'): void {
    const app = this.app(hostAppId);
    const message: Record<string, unknown> = { AppId: app.appId, TpAppId: this.callbackSecrets.componentAppId, EventTime: eventTime(), Event: event };
    if (event !== 'UNAUTHORIZED') Object.assign(message, { AuthorizationCode: randomAlnum(32), AuthorizationCodeExpiresIn: 3600 });
    this.pushes.enqueue(this.callbackUrl, () => ({ body: buildPush(this.callbackSecrets, message), contentType: 'application/json' }));
  }

  forgePush(hostAppId: string, kind: 'badSignature' | 'wrongAppId'): RawCallback {
    const app = this.app(hostAppId);
    const otherApp = `tt${randomHex(16)}`;
    const message = { ...this.auditMessage(app, 1, []), ...(kind === 'wrongAppId' ? { TpAppId: otherApp } : {}) };
    const override = kind === 'badSignature' ? { token: `${this.callbackSecrets.token}x` } : { appId: otherApp };
    const body = buildPush(this.callbackSecrets, message, override);
    return { method: 'POST', path: '/callbacks/bytedance', query: {}, headers: { 'content-type': 'application/json' }, body };
  }

  appByRefreshToken(refreshToken: string): DyApp | undefined {
    for (const app of this.apps.values()) if (app.refreshToken === refreshToken) return app;
    return undefined;
  }

  /** C1 refresh: new access and refresh tokens; the old ones stop working at once. */
  rotateTokens(app: DyApp): Record<string, unknown> {
    app.refreshToken = `isvrft.${randomAlnum(40)}`;
    app.refreshExpiresAt = Date.now() + 30 * 86_400_000;
    const t = this.tokens.issueAuthorizer(app.appId);
    return {
      authorizer_access_token: t.token,
      authorizer_refresh_token: app.refreshToken,
      expires_in: t.expiresIn,
      refresh_expires_in: 30 * 86_400,
      authorizer_appid: app.appId,
      authorize_permission: [{ id: 1, category: '开发管理', description: '代码上传、提审、发布与回退' }],
    };
  }

  /** Applies the app's review policy to an audit that just started. */
  reviewStarted(app: DyApp, audit: AuditSlot): void {
    const policy = app.policy;
    if (policy.decision === 'hold') return;
    audit.timer = setTimeout(() => {
      audit.timer = null;
      if (app.audit === audit && decide(app, policy)) this.pushAuditResult(app);
    }, policy.afterMs ?? 0);
  }

  app(hostAppId: string): DyApp {
    const app = this.apps.get(hostAppId);
    if (!app) throw new Error(`unknown sandbox app ${hostAppId}`);
    return app;
  }

  private auditMessage(app: DyApp, status: number, reason: string[]): Record<string, unknown> {
    const hosts = app.audit?.hostNames ?? this.rules.auditHosts;
    return {
      AppId: app.appId,
      TpAppId: this.callbackSecrets.componentAppId,
      EventTime: eventTime(),
      Event: 'PACKAGE_AUDIT',
      AuditResults: hosts.map((hostName) => ({
        hostName,
        status,
        reason,
        auditDetail: reason.map((r) => ({ reason: r, modifyGuide: { name: '修改指引', link: 'https://sandbox.test/guide' }, detailFile: '' })),
      })),
    };
  }

  /** C4: one PACKAGE_AUDIT push per audit result, with one AuditResults entry per host app. */
  private pushAuditResult(app: DyApp): void {
    const a = app.audit;
    if (!a || (a.status !== 1 && a.status !== 2)) return;
    const message = this.auditMessage(app, a.status, a.reason);
    this.pushes.enqueue(this.callbackUrl, () => ({ body: buildPush(this.callbackSecrets, message), contentType: 'application/json' }));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await handleSandboxRequest(this, req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('sandbox failure');
    }
  }
}
