import { HostError, TokenCache, silentLogger, type AdapterLogger, type HttpTransport, type TokenStore } from '../core/index.js';
import type { BytedanceCredentials } from './bytedance.credentials.js';
import { errorFromErrNo, errorFromHttpStatus, errorFromTransport, malformedAnswer, TOKEN_INVALID_CODES } from './bytedance.errors.js';

export interface BytedanceClientOptions {
  baseUrl: string;
  http: HttpTransport;
  tokenStore: TokenStore;
  now: () => Date;
  logger?: AdapterLogger;
  timeoutMs?: number;
  /** Refresh a cached token this long before it expires. */
  refreshMarginMs?: number;
}

export interface BytedanceRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

/** The V2 envelope `{err_no, err_msg, log_id, data}` (Part C header); token answers are flat. */
export type BytedanceJson = Record<string, unknown> & { err_no?: number; err_msg?: string; log_id?: string; data?: unknown };

export const PATH_COMPONENT_TOKEN = '/openapi/v2/auth/tp/token/';
export const PATH_AUTHORIZER_TOKEN = '/api/tpapp/v2/auth/get_auth_token/';
const THIRTY_DAYS_S = 30 * 86_400;

const keys = (c: BytedanceCredentials) => ({
  component: `bytedance:component:${c.componentAppId}`,
  authorizer: `bytedance:authorizer:${c.componentAppId}:${c.authorizerAppId}`,
  refresh: `bytedance:refresh:${c.componentAppId}:${c.authorizerAppId}`,
});

/** HTTP, V2 tokens and native errors for one Douyin third-party app; credentials come per call. */
export class BytedanceClient {
  private readonly tokens: TokenCache;
  private readonly logger: AdapterLogger;

  constructor(private readonly options: BytedanceClientOptions) {
    this.tokens = new TokenCache(options.tokenStore, options.now, options.refreshMarginMs ?? 5 * 60_000);
    this.logger = options.logger ?? silentLogger;
  }

  /** Calls an app API with header `access-token`; on an expired token refreshes and retries once. */
  async call(creds: BytedanceCredentials, operation: string, req: BytedanceRequest): Promise<BytedanceJson> {
    const token = await this.authorizerToken(creds, operation);
    try {
      return await this.send(operation, req, token);
    } catch (err) {
      if (!isTokenInvalid(err)) throw err;
      this.logger.debug({ host: 'BYTEDANCE', operation, nativeCode: (err as HostError).nativeCode }, 'authorizer token refused, refreshing');
      return this.send(operation, req, await this.authorizerToken(creds, operation, token));
    }
  }

  /** The authorizer access token; `refused` names one the host just rejected (C1 refresh flow). */
  async authorizerToken(creds: BytedanceCredentials, operation: string, refused?: string): Promise<string> {
    const k = keys(creds);
    return this.tokens.renewOnce(k.authorizer, refused, async () => {
      // A refused authorizer token means the host dropped our tokens early; the component token is
      // suspect too, so renew it first (C1: the previous one stays valid 5 min, nothing is lost).
      const suspect = refused ? (await this.options.tokenStore.get(k.component))?.value : undefined;
      let componentToken = await this.componentToken(creds, operation, suspect);
      const stored = (await this.options.tokenStore.get(k.refresh))?.value;
      let refreshToken = stored ?? creds.authorizerRefreshToken;
      let data: Record<string, unknown> | null = null;
      for (let attempt = 0; data === null; attempt++) {
        try {
          data = dataOf(await this.send(operation, refreshRequest(refreshToken), componentToken), operation);
        } catch (err) {
          if (attempt >= 2 || !(err instanceof HostError)) throw err;
          if (isTokenInvalid(err)) componentToken = await this.componentToken(creds, operation, componentToken);
          // A re-authorization puts a new refresh token in the credentials; the stored one is then stale.
          else if (err.nativeCode === '40021' && refreshToken !== creds.authorizerRefreshToken) refreshToken = creds.authorizerRefreshToken;
          else throw err;
        }
      }
      // C1: the refresh token is single use; the answer's new one must be kept or the app is lost.
      const nextRefresh = data.authorizer_refresh_token;
      if (typeof nextRefresh === 'string' && nextRefresh !== '') {
        await this.options.tokenStore.set(k.refresh, nextRefresh, this.tokens.expiry(data.refresh_expires_in, THIRTY_DAYS_S));
      } else {
        await this.options.tokenStore.delete(k.refresh);
      }
      const token = requireString(data, 'authorizer_access_token', operation);
      await this.options.tokenStore.set(k.authorizer, token, this.tokens.expiry(data.expires_in, 7200));
      return token;
    });
  }

  /** The component access token from the pushed ticket (C1, 2 h). */
  async componentToken(creds: BytedanceCredentials, operation: string, refused?: string): Promise<string> {
    const key = keys(creds).component;
    return this.tokens.renewOnce(key, refused, async () => {
      const res = await this.send(operation, {
        method: 'GET',
        path: PATH_COMPONENT_TOKEN,
        query: { component_appid: creds.componentAppId, component_appsecret: creds.componentAppSecret, component_ticket: creds.componentTicket },
      });
      // DY-skit reads the V2 token answer flat; accept a `data` wrapper too (UNCONFIRMED which).
      const body = typeof res.data === 'object' && res.data !== null ? (res.data as Record<string, unknown>) : res;
      const token = requireString(body, 'component_access_token', operation);
      await this.options.tokenStore.set(key, token, this.tokens.expiry(body.expires_in, 7200));
      return token;
    });
  }

  private async send(operation: string, req: BytedanceRequest, token?: string): Promise<BytedanceJson> {
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = token ? { 'access-token': token } : {};
    if (req.method === 'POST') headers['content-type'] = 'application/json';
    let res;
    try {
      res = await this.options.http({
        method: req.method,
        url: url.toString(),
        headers,
        body: req.method === 'POST' ? JSON.stringify(req.body ?? {}) : undefined,
        timeoutMs: this.options.timeoutMs,
      });
    } catch (err) {
      throw errorFromTransport(err, operation);
    }
    const text = res.text();
    const headerLogId = res.headers['x-tt-logid'] ?? null;
    if (res.status !== 200) throw errorFromHttpStatus(res.status, text, headerLogId, operation);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw malformedAnswer('answer is not JSON', operation, headerLogId);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw malformedAnswer('answer is not a JSON object', operation, headerLogId);
    const body = json as BytedanceJson;
    const logId = typeof body.log_id === 'string' ? body.log_id : headerLogId;
    if (typeof body.err_no !== 'number') throw malformedAnswer('answer has no err_no', operation, logId);
    if (body.err_no !== 0) throw errorFromErrNo(body.err_no, String(body.err_msg ?? ''), logId, operation);
    return body;
  }
}

function refreshRequest(refreshToken: string): BytedanceRequest {
  return { method: 'GET', path: PATH_AUTHORIZER_TOKEN, query: { grant_type: 'app_to_tp_refresh_token', authorizer_refresh_token: refreshToken } };
}

/** The `data` object of an envelope (C2 answers); a missing one is a malformed answer. */
export function dataOf(res: BytedanceJson, operation: string): Record<string, unknown> {
  if (typeof res.data === 'object' && res.data !== null && !Array.isArray(res.data)) return res.data as Record<string, unknown>;
  throw malformedAnswer('answer has no data object', operation, typeof res.log_id === 'string' ? res.log_id : null);
}

function isTokenInvalid(err: unknown): boolean {
  return err instanceof HostError && err.nativeCode !== null && TOKEN_INVALID_CODES.has(err.nativeCode);
}

function requireString(obj: Record<string, unknown>, field: string, operation: string): string {
  const v = obj[field];
  if (typeof v === 'string' && v !== '') return v;
  throw malformedAnswer(`token answer lacks ${field}`, operation);
}
