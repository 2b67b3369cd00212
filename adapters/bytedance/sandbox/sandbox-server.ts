import type { IncomingMessage, ServerResponse } from 'node:http';
import { isInteger, isSafeNumber, parse } from 'lossless-json';
import { randomHex } from './sandbox-crypto.js';
import { SANDBOX_MESSAGES, SandboxNativeError } from './sandbox-errors.js';
import { release, revoke, rollback, submit, upload, versionsOf, type DyApp } from './sandbox-app.js';
import type { BytedanceRecordedCall, BytedanceSandbox } from './bytedance-sandbox.js';
import { hangUnlessAbandoned, readRequestBody } from '../../core/sandbox-kit/index.js';

// Paths of alipay-baidu-bytedance.md C1 and C2 (V2). Both audit paths are served (C2 CONFLICT).
const COMPONENT_TOKEN = '/openapi/v2/auth/tp/token/';
const AUTH_TOKEN = '/api/tpapp/v2/auth/get_auth_token/';
const APP = '/api/apps/v1/package_version/';
const SECRET_PARAMS = new Set(['component_appsecret', 'component_ticket', 'authorizer_refresh_token', 'authorization_code']);

/** A route's result: `undefined` for calls that answer no data (fixture audit.success), else the `data` object. */
type Handler = { method: 'GET' | 'POST'; run: (sb: BytedanceSandbox, app: DyApp, body: Record<string, unknown>) => Record<string, unknown> | undefined };

const ROUTES: Record<string, Handler> = {
  [`${APP}upload/`]: { method: 'POST', run: (sb, app, b) => void upload(app, b, sb.now()) },
  [`${APP}get_audit_hosts/`]: {
    method: 'GET',
    run: (sb, app) => ({ host_names: [...sb.rules.auditHosts], released_host_names: app.current ? [...sb.rules.auditHosts] : [] }),
  },
  [`${APP}audit/`]: { method: 'POST', run: (sb, app, b) => void sb.reviewStarted(app, submit(app, b, sb.rules, sb.now())) },
  '/api/apps/v2/package_version/audit/': { method: 'POST', run: (sb, app, b) => void sb.reviewStarted(app, submit(app, b, sb.rules, sb.now())) },
  [`${APP}revoke_audit/`]: { method: 'POST', run: (sb, app) => void revoke(app, sb.rules, sb.now()) },
  [`${APP}release/`]: { method: 'POST', run: (sb, app) => void release(app, sb.now()) },
  [`${APP}rollback/`]: { method: 'POST', run: (sb, app) => void rollback(app, sb.rules, sb.now()) },
  [`${APP}versions/`]: { method: 'GET', run: (sb, app) => versionsOf(app) },
};

// Integers beyond 2^53 (template_id, C2) are read as bigint, never rounded.
const exactNumber = (text: string): number | bigint => (isInteger(text) && !isSafeNumber(text) ? BigInt(text) : Number(text));

function jsonBody(req: IncomingMessage, raw: string): Record<string, unknown> {
  if (!(req.headers['content-type'] ?? '').includes('application/json')) throw new SandboxNativeError(40001);
  try {
    const v: unknown = parse(raw === '' ? '{}' : raw, null, exactNumber);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // falls through to 40001
  }
  throw new SandboxNativeError(40001);
}

const newLogId = () => `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomHex(18).toUpperCase()}`;
const messageOf = (code: number) => SANDBOX_MESSAGES[code] ?? `error ${code}`;

/** What one call answers; each shape is a fixture's (fixtures/bytedance.answers.ts). */
type Answer =
  /** The V2 envelope; `data` only on calls that return some (versions, get_audit_hosts, get_auth_token). */
  | { envelope: 'v2'; code: number; data?: Record<string, unknown> }
  /** /openapi/v2/auth/tp/token/: flat success, `{errno, message}` failure (token.component.*). */
  | { envelope: 'componentToken'; code: number; token?: { component_access_token: string; expires_in: number } };

function answer(res: ServerResponse, call: BytedanceRecordedCall, a: Answer): void {
  call.answeredCode = String(a.code);
  const log_id = newLogId();
  let payload: Record<string, unknown>;
  if (a.envelope === 'componentToken') payload = a.code === 0 ? { ...a.token } : { errno: a.code, message: messageOf(a.code) };
  else payload = { err_no: a.code, err_msg: a.code === 0 ? 'success' : messageOf(a.code), log_id, ...(a.code === 0 && a.data ? { data: a.data } : {}) };
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-tt-logid': log_id }).end(JSON.stringify(payload));
}

const envelopeOf = (path: string): Answer['envelope'] => (path === COMPONENT_TOKEN ? 'componentToken' : 'v2');

/** One call: record it, apply faults, authenticate, route. Native failures are HTTP 200 with err_no != 0. */
export async function handleSandboxRequest(sb: BytedanceSandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const query = Object.fromEntries(url.searchParams);
  const raw = await readRequestBody(req);
  const method = (req.method ?? 'GET').toUpperCase();
  const redacted = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, SECRET_PARAMS.has(k) ? '[secret]' : v]));
  const call: BytedanceRecordedCall = { method, path: url.pathname, query: redacted, answeredCode: 'pending', at: new Date(), body: raw };
  sb.recorded.push(call);

  const f = sb.faults;
  if (f.shouldHang() && (await hangUnlessAbandoned(res, f.hangMs))) return void (call.answeredCode = 'TIMEOUT');
  if (f.shouldFailWith503()) {
    call.answeredCode = 'HTTP 503';
    return void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
  }
  const rawAnswer = f.takeRawAnswer(url.pathname);
  if (rawAnswer) {
    call.answeredCode = `RAW ${rawAnswer.status}`;
    return void res.writeHead(rawAnswer.status, { 'content-type': rawAnswer.contentType }).end(rawAnswer.body);
  }
  const injected = f.takeFailure(url.pathname);
  if (injected !== null) return answer(res, call, { envelope: envelopeOf(url.pathname), code: Number(injected) });
  try {
    answer(res, call, route(sb, req, method, url.pathname, query, raw));
  } catch (err) {
    if (!(err instanceof SandboxNativeError)) throw err;
    answer(res, call, { envelope: envelopeOf(url.pathname), code: err.errNo });
  }
}

function route(sb: BytedanceSandbox, req: IncomingMessage, method: string, path: string, q: Record<string, string>, raw: string): Answer {
  const header = req.headers['access-token'];
  const token = Array.isArray(header) ? header[0] : header;
  if (path === COMPONENT_TOKEN) {
    if (method !== 'GET') throw new SandboxNativeError(40001);
    if (!q.component_appid || !q.component_appsecret || !q.component_ticket) throw new SandboxNativeError(40001);
    if (q.component_appid !== sb.callbackSecrets.componentAppId) throw new SandboxNativeError(40003);
    if (q.component_appsecret !== sb.componentAppSecret) throw new SandboxNativeError(40038);
    sb.tokens.checkTicket(q.component_ticket);
    const t = sb.tokens.issueComponent();
    return { envelope: 'componentToken', code: 0, token: { component_access_token: t.token, expires_in: t.expiresIn } };
  }
  if (path === AUTH_TOKEN) {
    if (method !== 'GET') throw new SandboxNativeError(40001);
    sb.tokens.check(token, 'component');
    if (q.grant_type !== 'app_to_tp_refresh_token') throw new SandboxNativeError(40040);
    if (!q.authorizer_refresh_token) throw new SandboxNativeError(40002);
    const app = sb.appByRefreshToken(q.authorizer_refresh_token);
    // C1: single use, 30 days; a used or unknown refresh token is 40021.
    if (!app || app.refreshExpiresAt <= Date.now()) throw new SandboxNativeError(40021);
    return { envelope: 'v2', code: 0, data: sb.rotateTokens(app) };
  }
  const r = ROUTES[path];
  if (!r) throw new SandboxNativeError(40001);
  if (r.method !== method) throw new SandboxNativeError(40001);
  const appId = sb.tokens.check(token, 'authorizer');
  const app = sb.apps.get(appId ?? '');
  if (!app) throw new SandboxNativeError(40004);
  return { envelope: 'v2', code: 0, data: r.run(sb, app, method === 'POST' ? jsonBody(req, raw) : {}) };
}
