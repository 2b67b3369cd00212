import type { IncomingMessage, ServerResponse } from 'node:http';
import { BASIC_INFO_FIELDS, type BasicInfoField } from '../basic-info.js';
import type { BasicInfoReviewPolicy } from '../basic-info-desk.js';
import type { HostId } from '../host-id.js';
import type { HostSandbox, ReviewDecision, ReviewPolicy } from '../sandbox.js';
import { LoopbackServer, readRequestBody } from './http-helpers.js';

/** What the admin route tells about one sandbox: where it answers and the secrets its pushes use. */
export interface SandboxInfo {
  host: HostId;
  baseUrl: string;
  callbackSecrets: Record<string, string>;
}

/** Fault switches settable over the admin route (`failNext.path` is a plain path or gateway method). */
export interface SandboxFaultSettings {
  serverErrorRate?: number;
  timeoutRate?: number;
  resetAfterActRate?: number;
  hangMs?: number;
  duplicatePushes?: boolean;
  pushDelayMs?: number;
  reorderPushes?: boolean;
  failNext?: { path?: string; nativeCode: string; times?: number };
  expireTokens?: boolean;
  reset?: boolean;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A loopback admin route over a set of running sandboxes, outside every host's documented paths
 * (its own port, paths under `/__sandbox/`). The gateway uses it to make sandbox apps
 * (`createSandboxApp`) whether the sandboxes run in its own process or in `npm run sandboxes`;
 * tests use it to set faults and read each sandbox's recorded calls. Never started in live mode.
 */
export class SandboxAdminServer {
  private readonly http = new LoopbackServer((req, res) => this.onRequest(req, res));
  private url = '';

  constructor(
    private readonly sandboxes: ReadonlyMap<HostId, HostSandbox>,
    /** Review policy given to every app made here unless the request names one. */
    private readonly defaultPolicy: () => ReviewPolicy,
  ) {}

  get baseUrl(): string {
    return this.url;
  }

  async start(port = 0): Promise<string> {
    this.url = await this.http.listen(port);
    return this.url;
  }

  stop(): Promise<void> {
    return this.http.close();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://admin');
      const body = req.method === 'POST' ? parseBody(await readRequestBody(req)) : {};
      const answer = await this.route(req.method ?? 'GET', url.pathname, body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    } catch (err) {
      const status = err instanceof AdminError ? err.status : 500;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (err as Error).message }));
    }
  }

  private async route(method: string, path: string, body: Record<string, unknown>): Promise<unknown> {
    if (method === 'GET' && path === '/__sandbox/hosts') return [...this.sandboxes.values()].map(info);
    const m = /^\/__sandbox\/hosts\/([A-Z]+)\/([a-z-]+)(?:\/([^/]+))?$/.exec(path);
    if (!m) throw new AdminError(404, `no admin route ${method} ${path}`);
    const sandbox = this.sandboxes.get(m[1] as HostId);
    if (!sandbox) throw new AdminError(404, `no sandbox for host ${m[1]}`);
    const action = `${method} ${m[2]}`;
    switch (action) {
      case 'POST apps': {
        const app = await sandbox.createApp({ name: typeof body.name === 'string' ? body.name : undefined });
        sandbox.setReviewPolicy(app.hostAppId, (body.reviewPolicy as ReviewPolicy | undefined) ?? this.defaultPolicy());
        return app;
      }
      case 'POST review-policy':
        sandbox.setReviewPolicy(requiredText(body, 'hostAppId'), body.policy as ReviewPolicy);
        return { ok: true };
      case 'POST decide':
        await sandbox.decideReview(requiredText(body, 'hostAppId'), body.outcome as ReviewDecision);
        return { ok: true };
      case 'POST callback-url':
        sandbox.setCallbackUrl(typeof body.url === 'string' ? body.url : null);
        return { ok: true };
      case 'POST faults':
        applyFaults(sandbox, body);
        return { ok: true };
      case 'GET calls':
        // Method, path, redacted query and the native code answered: never bodies (they may hold secrets).
        return sandbox.calls.map((c) => ({
          method: c.method,
          path: c.path,
          query: c.query,
          answeredCode: c.answeredCode,
          at: c.at,
          ...('apiMethod' in c ? { apiMethod: (c as { apiMethod: string }).apiMethod } : {}),
        }));
      case 'POST clear-calls':
        sandbox.clearCalls();
        return { ok: true };
      case 'POST forge-push': {
        const kind = body.kind === 'wrongAppId' ? 'wrongAppId' : 'badSignature';
        return sandbox.forgePush(requiredText(body, 'hostAppId'), kind);
      }
      // Basic info (listing sync): the live values, reviews and quotas; review policy and outcomes; changes made in the host's console.
      case 'GET basic-info': {
        if (!m[3]) throw new AdminError(400, 'basic-info needs a host app id');
        const appId = decodeURIComponent(m[3]);
        const desk = sandbox.basicInfo;
        return {
          state: desk.state(appId),
          reviews: desk.reviews(appId),
          quotas: Object.fromEntries(BASIC_INFO_FIELDS.map((f) => [f, desk.quotaUse(appId, f)])),
        };
      }
      case 'POST basic-info-policy':
        sandbox.basicInfo.setReviewPolicy(requiredText(body, 'hostAppId'), body.policy as BasicInfoReviewPolicy);
        return { ok: true };
      case 'POST basic-info-decide':
        sandbox.basicInfo.decideReview(
          requiredText(body, 'hostAppId'),
          basicInfoField(body),
          body.outcome as { decision: 'approve' } | { decision: 'reject'; reason: string },
        );
        return { ok: true };
      case 'POST basic-info-change':
        sandbox.basicInfo.changeOnHost(requiredText(body, 'hostAppId'), body.patch ?? {});
        return { ok: true };
      case 'GET live':
        if (!m[3]) throw new AdminError(400, 'live needs a host app id');
        return sandbox.live(decodeURIComponent(m[3]));
      default:
        throw new AdminError(404, `no admin route ${method} ${path}`);
    }
  }
}

function info(sandbox: HostSandbox): SandboxInfo {
  return { host: sandbox.hostId, baseUrl: sandbox.baseUrl, callbackSecrets: { ...sandbox.callbackSecrets } };
}

function applyFaults(sandbox: HostSandbox, f: SandboxFaultSettings): void {
  const faults = sandbox.faults;
  if (f.reset) faults.reset();
  for (const k of ['serverErrorRate', 'timeoutRate', 'resetAfterActRate', 'hangMs', 'pushDelayMs'] as const) if (typeof f[k] === 'number') faults[k] = f[k];
  for (const k of ['duplicatePushes', 'reorderPushes'] as const) if (typeof f[k] === 'boolean') faults[k] = f[k];
  if (f.failNext) faults.failNext(f.failNext);
  if (f.expireTokens) faults.expireTokens();
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AdminError(400, 'body must be a JSON object');
  return v as Record<string, unknown>;
}

function basicInfoField(body: Record<string, unknown>): BasicInfoField {
  const f = BASIC_INFO_FIELDS.find((x) => x === body.field);
  if (!f) throw new AdminError(400, `field must be one of ${BASIC_INFO_FIELDS.join(', ')}`);
  return f;
}

function requiredText(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new AdminError(400, `${field} is required`);
  return v;
}
