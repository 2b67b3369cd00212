import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorEnvelope, SandboxNativeError } from './sandbox-errors.js';
import { WXA_ROUTES } from './sandbox-routes.js';
import type { WechatRecordedCall, WechatSandbox } from './wechat-sandbox.js';
import { hangUnlessAbandoned, readRequestBody } from '../../core/sandbox-kit/index.js';
import { scalarText } from '../../core/index.js';

const COMPONENT_TOKEN = '/cgi-bin/component/api_component_token';
const AUTHORIZER_TOKEN = '/cgi-bin/component/api_authorizer_token';
const SECRET_PARAMS = new Set(['access_token', 'component_access_token']);

function parseJson(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // falls through to 47001
  }
  throw new SandboxNativeError(47001);
}

function json(res: ServerResponse, call: WechatRecordedCall, payload: Record<string, unknown>): void {
  call.answeredCode = scalarText(payload.errcode ?? 0);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(payload));
}

/** One HTTP call: record, apply faults, authenticate, route; every native failure is HTTP 200 + errcode (wechat.md §0). */
export async function handleSandboxRequest(sb: WechatSandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const query = Object.fromEntries(url.searchParams);
  const body = await readRequestBody(req);
  const method = (req.method ?? 'GET').toUpperCase();
  const redacted = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, SECRET_PARAMS.has(k) ? '[token]' : v]));
  const call: WechatRecordedCall = { method, path: url.pathname, query: redacted, answeredCode: 'pending', at: new Date(), body };
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
  if (injected !== null) return json(res, call, errorEnvelope(Number(injected)));

  try {
    json(res, call, route(sb, method, url.pathname, query, body));
  } catch (err) {
    if (!(err instanceof SandboxNativeError)) throw err;
    json(res, call, errorEnvelope(err.errcode));
  }
}

function route(sb: WechatSandbox, method: string, path: string, query: Record<string, string>, raw: string): Record<string, unknown> {
  const { componentAppId } = sb.callbackSecrets;
  if (path === COMPONENT_TOKEN) {
    if (method !== 'POST') throw new SandboxNativeError(43002);
    const b = parseJson(raw);
    if (b.component_appid !== componentAppId) throw new SandboxNativeError(61011);
    if (b.component_appsecret !== sb.componentAppSecret) throw new SandboxNativeError(40125);
    sb.tokens.checkTicket(b.component_verify_ticket);
    const t = sb.tokens.issue('component', null);
    return { component_access_token: t.token, expires_in: t.expiresIn };
  }
  if (path === AUTHORIZER_TOKEN) {
    if (method !== 'POST') throw new SandboxNativeError(43002);
    // §0: old docs name it component_access_token, new docs access_token.
    sb.tokens.check(query.component_access_token ?? query.access_token, 'component');
    const b = parseJson(raw);
    if (b.component_appid !== componentAppId) throw new SandboxNativeError(61011);
    const app = sb.apps.get(String(b.authorizer_appid));
    if (!app) throw new SandboxNativeError(61003);
    if (b.authorizer_refresh_token !== app.refreshToken) throw new SandboxNativeError(61023);
    if (sb.options.rotateRefreshTokens) app.refreshToken = `refreshtoken@@@${Math.random().toString(36).slice(2)}${Date.now()}`;
    const t = sb.tokens.issue('authorizer', app.appId);
    return { authorizer_access_token: t.token, expires_in: t.expiresIn, authorizer_refresh_token: app.refreshToken };
  }
  const r = WXA_ROUTES[path];
  if (!r) throw new SandboxNativeError(40097);
  if (r.method !== method) throw new SandboxNativeError(r.method === 'POST' ? 43002 : 43001);
  const appId = sb.tokens.check(query.access_token, 'authorizer');
  const app = sb.apps.get(appId ?? '');
  if (!app) throw new SandboxNativeError(61003);
  if (r.requireBody && raw.trim() === '') throw new SandboxNativeError(44002);
  const fields = r.handle({
    app,
    body: r.method === 'POST' ? parseJson(raw) : {},
    query,
    now: new Date(),
    quota: sb.quota,
    nextAuditId: () => sb.nextAuditId(),
    reviewStarted: (a) => sb.reviewStarted(a),
  });
  return r.bare ? fields : { errcode: 0, errmsg: 'ok', ...fields };
}
