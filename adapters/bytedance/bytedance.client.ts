import { stringify } from 'lossless-json';
import { HostError, TokenCache, scalarText, silentLogger, type AdapterLogger, type HttpTransport, type TokenStore } from '../core/index.js';
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
  /** Sent as JSON; a `bigint` value is written as its exact digits (int64 ids such as template_id, C2). */
  body?: Record<string, unknown>;
}

/** The V2 envelope `{err_no, err_msg, log_id, data}` (Part C header); the component token answer is flat. */
export type BytedanceJson = Record<string, unknown> & { err_no?: number; err_msg?: string; log_id?: string; data?: unknown };

/**
 * How an answer is read. `v2`: the `{err_no, err_msg, log_id[, data]}` envelope of every app and
 * authorizer-token call. `componentToken`: /openapi/v2/auth/tp/token/ answers success flat,
 * `{component_access_token, expires_in}` with no err_no, and failures as `{errno, message}`
 * (DY-doc component-access-token; fixtures token.component.*).
 */
type Envelope = 'v2' | 'componentToken';

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
      const res = await this.send(
        operation,
        {
          method: 'GET',
          path: PATH_COMPONENT_TOKEN,
          query: { component_appid: creds.componentAppId, component_appsecret: creds.componentAppSecret, component_ticket: creds.componentTicket },
        },
        undefined,
        'componentToken',
      );
      const token = requireString(res, 'component_access_token', operation);
      await this.options.tokenStore.set(key, token, this.tokens.expiry(res.expires_in, 7200));
      return token;
    });
  }

  private async send(operation: string, req: BytedanceRequest, token?: string, envelope: Envelope = 'v2'): Promise<BytedanceJson> {
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
        // lossless-json writes bigint values digit for digit; JSON.stringify refuses them.
        body: req.method === 'POST' ? stringify(req.body ?? {}) : undefined,
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
      throw malformedAnswer('answer is not JSON', operation, text, headerLogId);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw malformedAnswer('answer is not a JSON object', operation, text, headerLogId);
    const body = json as BytedanceJson;
    const logId = typeof body.log_id === 'string' && body.log_id !== '' ? body.log_id : headerLogId;
    // A failure is a failure in either envelope; the V1 one ({errno, message}) is how the token endpoint refuses.
    const errno = body.errno ?? (envelope === 'componentToken' ? body.err_no : undefined);
    if (errno !== undefined && errno !== null && scalarText(errno) !== '0') {
      if (!/^\d+$/.test(scalarText(errno))) throw malformedAnswer(`answer has a non-numeric errno ${scalarText(errno)}`, operation, text, logId);
      throw errorFromErrNo(Number(errno), scalarText(body.message ?? body.err_msg), logId, operation);
    }
    if (envelope === 'componentToken') return body;
    if (typeof body.err_no !== 'number') throw malformedAnswer('answer has no err_no', operation, text, logId);
    if (body.err_no !== 0) throw errorFromErrNo(body.err_no, scalarText(body.err_msg), logId, operation);
    return body;
  }
}

function refreshRequest(refreshToken: string): BytedanceRequest {
  return { method: 'GET', path: PATH_AUTHORIZER_TOKEN, query: { grant_type: 'app_to_tp_refresh_token', authorizer_refresh_token: refreshToken } };
}

/** The `data` object of an envelope (C2 answers); a missing one is an unexpected answer. */
export function dataOf(res: BytedanceJson, operation: string): Record<string, unknown> {
  if (typeof res.data === 'object' && res.data !== null && !Array.isArray(res.data)) return res.data as Record<string, unknown>;
  throw malformedAnswer('answer has no data object', operation, JSON.stringify(res), typeof res.log_id === 'string' ? res.log_id : null);
}

function isTokenInvalid(err: unknown): boolean {
  return err instanceof HostError && err.nativeCode !== null && TOKEN_INVALID_CODES.has(err.nativeCode);
}

function requireString(obj: Record<string, unknown>, field: string, operation: string): string {
  const v = obj[field];
  if (typeof v === 'string' && v !== '') return v;
  // The evidence is redacted (answerEvidence): a token answer may carry other tokens.
  throw malformedAnswer(`token answer lacks ${field}`, operation, JSON.stringify(obj));
}
