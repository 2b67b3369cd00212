import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, PushSender, SandboxFaultSwitches } from '../../core/sandbox-kit/index.js';
import type { HostSandbox, RawCallback, RecordedCall, ReviewDecision, ReviewPolicy, SandboxApp as CoreSandboxApp, SandboxLiveState } from '../../core/index.js';
import { randomAlnum, randomDigits } from './sandbox-crypto.js';
import {
  AUDIT_PASSED,
  decide,
  DEVELOPMENT,
  finishRollback,
  inAudit,
  live,
  UPLOAD_FAILED,
  UPLOADED,
  UPLOADING,
  type SandboxApp,
  type SandboxPackage,
} from './sandbox-packages.js';
import { buildPush } from './sandbox-pushes.js';
import { BasicInfoDesk, type SandboxBasicInfoReview } from '../../core/index.js';
import { BAIDU_SANDBOX_QUOTAS, basicInfoPushMessage, initialBaiduBasicInfo } from './sandbox-basic-info.js';
import { handleSandboxRequest, type BaiduRecordedCall } from './sandbox-server.js';
import { SandboxTokens } from './sandbox-tokens.js';

export interface BaiduSandboxOptions {
  /** Ticket push period (B1 #1: every 10 min); 0 disables the timer (use `pushTicket`). */
  ticketIntervalMs?: number;
  /** How long package/upload stays "uploading" (B2: about 3 s on the host). */
  uploadDelayMs?: number;
  /** How long a rollback stays in status 8 before the previous package is online again. */
  rollbackDelayMs?: number;
  /** Audits per period per app (package/auditquota). */
  auditQuota?: number;
  /** Template ids whose build fails (upload_status 3), to exercise failed uploads. */
  failingTemplateIds?: readonly string[];
}

/** A loopback Baidu smart-program TP: token flow, package state machine, encrypted pushes (alipay-baidu-bytedance.md Part B). */
export class BaiduSandbox implements HostSandbox {
  readonly hostId = 'BAIDU' as const;
  readonly callbackSecrets: { tpAppId: string; token: string; encodingAesKey: string };
  readonly tpClientId = randomAlnum(32);
  readonly tokens = new SandboxTokens(() => Date.now());
  readonly faults = new SandboxFaultSwitches(() => this.tokens.expireAll());
  readonly apps = new Map<string, SandboxApp>();
  readonly pushes = new PushSender(this.faults);
  readonly recorded: BaiduRecordedCall[] = [];
  /** Name, description and icon (third/info.md) with their reviews and change counts. */
  readonly basicInfo = new BasicInfoDesk({ quotas: BAIDU_SANDBOX_QUOTAS, onDecided: (appId, review) => this.pushBasicInfoResult(appId, review) });
  /** Images taken by upload/image, by the URL it answered. */
  readonly images = new Map<string, { sha256: string; contentType: string }>();
  currentTicket: string;
  private readonly http = new LoopbackServer((req, res) => this.onRequest(req, res), this.faults);
  private url = '';
  private callbackUrl: string | null = null;
  private ticketTimer: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private heldUploads: Array<() => void> | null = null;
  private packageSeq = 100_000 + Math.floor(Math.random() * 100_000);

  constructor(readonly options: BaiduSandboxOptions = {}) {
    this.callbackSecrets = { tpAppId: randomDigits(8), token: randomAlnum(24), encodingAesKey: randomAlnum(43) };
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
    for (const t of this.timers) clearTimeout(t);
    for (const app of this.apps.values()) for (const p of app.packages) if (p.timer) clearTimeout(p.timer);
    await this.http.close();
  }

  async createApp(options: { name?: string } = {}): Promise<CoreSandboxApp> {
    // Baidu's app ids are 8 digits: at a few thousand apps a random one repeats, so draw again.
    let appId = randomDigits(8);
    while (this.apps.has(appId)) appId = randomDigits(8);
    const quota = this.options.auditQuota ?? 10;
    this.apps.set(appId, {
      appId,
      name: options.name ?? `Sandbox ${appId.slice(-4)}`,
      packages: [],
      history: [],
      policy: { decision: 'approve' },
      quota: { total: quota, remain: quota },
    });
    this.basicInfo.register(appId, initialBaiduBasicInfo(options.name ?? `Sandbox ${appId.slice(-4)}`));
    const credentials = { tpClientId: this.tpClientId, ticket: this.currentTicket, appId, refreshToken: this.tokens.newRefreshToken(appId) };
    return { hostAppId: appId, credentials };
  }

  setReviewPolicy(hostAppId: string, policy: ReviewPolicy): void {
    this.app(hostAppId).policy = policy;
  }

  async decideReview(hostAppId: string, outcome: ReviewDecision): Promise<void> {
    const app = this.app(hostAppId);
    const pkg = inAudit(app);
    if (!pkg) throw new Error(`no package under audit for ${hostAppId}`);
    if (pkg.timer) clearTimeout(pkg.timer);
    pkg.timer = null;
    if (decide(pkg, outcome)) this.pushAuditResult(app, pkg);
  }

  setCallbackUrl(url: string | null): void {
    this.callbackUrl = url;
  }

  clearCalls(): void {
    this.recorded.length = 0;
  }

  live(hostAppId: string): SandboxLiveState {
    const app = this.app(hostAppId);
    return { liveVersion: live(app)?.version ?? null, grayVersion: null, grayPercentage: null, inReview: inAudit(app)?.version ?? null };
  }

  /** Issues a new ticket and pushes it (B1 #1 plaintext) to the callback URL. */
  pushTicket(): string {
    this.currentTicket = this.tokens.newTicket();
    const message = { Ticket: this.currentTicket, FromUserName: 'SmartAPP', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'ticket', Event: 'push' };
    this.pushes.enqueue(this.callbackUrl, { body: buildPush(this.callbackSecrets, message), contentType: 'application/json' });
    return this.currentTicket;
  }

  /** An authorization event (B1 §10) for an app, as the host pushes it. */
  pushAuthorization(hostAppId: string, event: 'AUTHORIZED' | 'UNAUTHORIZED' | 'UPDATE_AUTHORIZED'): void {
    const message = {
      appId: hostAppId,
      tpAppId: this.callbackSecrets.tpAppId,
      eventTime: eventTime(),
      event,
      authorizationCode: randomAlnum(40),
      authorizationCodeExpiresIn: 3600,
    };
    this.pushes.enqueue(this.callbackUrl, { body: buildPush(this.callbackSecrets, message), contentType: 'application/json' });
  }

  forgePush(hostAppId: string, kind: 'badSignature' | 'wrongAppId'): RawCallback {
    const app = this.app(hostAppId);
    const other = randomDigits(8);
    const message = {
      appId: Number(app.appId),
      tpAppId: Number(kind === 'wrongAppId' ? other : this.callbackSecrets.tpAppId),
      eventTime: eventTime(),
      event: 'PACKAGE_AUDIT_PASS',
      packageId: this.packageSeq,
      packageVersion: '9.9.9',
    };
    const override = kind === 'badSignature' ? { token: `${this.callbackSecrets.token}x` } : { appId: other };
    return {
      method: 'POST',
      path: '/callbacks/baidu',
      query: {},
      headers: { 'content-type': 'application/json' },
      body: buildPush(this.callbackSecrets, message, override),
    };
  }

  /** package/upload: the package is listed at once as uploading and becomes ready after the delay (B2). */
  startUpload(app: SandboxApp, fields: { version: string; desc: string; templateId: string }): SandboxPackage {
    const pkg: SandboxPackage = {
      packageId: ++this.packageSeq,
      ...fields,
      status: DEVELOPMENT,
      uploadStatus: UPLOADING,
      msg: '',
      remark: '',
      commitTime: new Date(),
      rollbackVersion: '',
      timer: null,
    };
    app.packages.push(pkg);
    const fails = this.options.failingTemplateIds?.includes(fields.templateId) ?? false;
    const finish = () => void (pkg.uploadStatus = fails ? UPLOAD_FAILED : UPLOADED);
    if (this.heldUploads) this.heldUploads.push(finish);
    else this.later(this.options.uploadDelayMs ?? 150, finish);
    return pkg;
  }

  /** Uploads from now on stay "uploading" until `releaseUploads()`: the test, not a timer, ends them. */
  holdUploads(): void {
    this.heldUploads ??= [];
  }

  /** Finishes the held uploads and stops holding. */
  releaseUploads(): void {
    const held = this.heldUploads ?? [];
    this.heldUploads = null;
    for (const finish of held) finish();
  }

  /** Applies the app's review policy to a package that just entered audit. */
  reviewStarted(app: SandboxApp, pkg: SandboxPackage): void {
    const policy = app.policy;
    if (policy.decision === 'hold') return;
    pkg.timer = setTimeout(() => {
      pkg.timer = null;
      if (decide(pkg, policy)) this.pushAuditResult(app, pkg);
    }, policy.afterMs ?? 0);
  }

  rollbackStarted(app: SandboxApp, pkg: SandboxPackage): void {
    this.later(this.options.rollbackDelayMs ?? 200, () => finishRollback(app, pkg));
  }

  app(hostAppId: string): SandboxApp {
    const app = this.apps.get(hostAppId);
    if (!app) throw new Error(`unknown sandbox app ${hostAppId}`);
    return app;
  }

  private later(ms: number, run: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      run();
    }, ms);
    this.timers.add(t);
  }

  // third/info.md: base-info review results go to the message URL as APP_*_AUDIT_PASS / _FAIL (+ reason).
  private pushBasicInfoResult(appId: string, review: SandboxBasicInfoReview): void {
    const message = basicInfoPushMessage(appId, this.callbackSecrets.tpAppId, eventTime(), review);
    if (message) this.pushes.enqueue(this.callbackUrl, { body: buildPush(this.callbackSecrets, message), contentType: 'application/json' });
  }

  // B4: audit results go to the message URL as PACKAGE_AUDIT_PASS / PACKAGE_AUDIT_FAIL (+ reason).
  private pushAuditResult(app: SandboxApp, pkg: SandboxPackage): void {
    const passed = pkg.status === AUDIT_PASSED;
    // Ids are numbers in the pushes (fixtures push.packageAudit*; SKIT event samples).
    const message = {
      appId: Number(app.appId),
      tpAppId: Number(this.callbackSecrets.tpAppId),
      eventTime: eventTime(),
      event: passed ? 'PACKAGE_AUDIT_PASS' : 'PACKAGE_AUDIT_FAIL',
      packageId: pkg.packageId,
      packageVersion: pkg.version,
      ...(passed ? {} : { reason: pkg.msg }),
    };
    this.pushes.enqueue(this.callbackUrl, { body: buildPush(this.callbackSecrets, message), contentType: 'application/json' });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await handleSandboxRequest(this, req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('sandbox error');
    }
  }
}

/** `yyyy-MM-dd HH:mm:ss` in China time, as B4's samples show eventTime. */
function eventTime(d = new Date()): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
