import { HostError, TokenCache, silentLogger, type AdapterLogger, type HttpTransport, type TokenStore } from '../core/index.js';
import type { BaiduCredentials } from './baidu.credentials.js';
import {
  errorFromErrno,
  errorFromHttpStatus,
  errorFromOAuth,
  errorFromOpenApi,
  errorFromTransport,
  malformedAnswer,
  OAUTH_TOKEN_INVALID,
  TOKEN_INVALID_ERRNOS,
} from './baidu.errors.js';
import { scalarText } from '../core/index.js';

export interface BaiduClientOptions {
  baseUrl: string;
  http: HttpTransport;
  tokenStore: TokenStore;
  now: () => Date;
  logger?: AdapterLogger;
  timeoutMs?: number;
  /** Renew a cached token this long before it expires. */
  refreshMarginMs?: number;
}

export interface BaiduRequest {
  method: 'GET' | 'POST';
  path: string;
  /** GET: sent in the query; POST: sent as a form body (B2: the host takes either). */
  params?: Record<string, string>;
  /**
   * `business` (default): `{errno, msg, data}`, errno required. `oauth`: /rest/2.0/oauth/token answers
   * bare JSON on success (the caller checks its fields). Both may come back as the gateway's
   * `{error_code, error_msg}` or OAuth's `{error, error_description}` instead.
   */
  envelope?: 'business' | 'oauth';
}

export type BaiduJson = Record<string, unknown>;

export const PATH_TP_TOKEN = '/public/2.0/smartapp/auth/tp/token';
export const PATH_OAUTH_TOKEN = '/rest/2.0/oauth/token';
// B1: TP token 30 days, app token 1 hour; used only when an answer lacks expires_in.
const TP_TOKEN_DEFAULT_S = 2_592_000;
const APP_TOKEN_DEFAULT_S = 3_600;

/** HTTP, tokens and native errors for one Baidu TP; credentials come with each call. */
export class BaiduClient {
  private readonly tokens: TokenCache;
  private readonly logger: AdapterLogger;

  constructor(private readonly options: BaiduClientOptions) {
    this.tokens = new TokenCache(options.tokenStore, options.now, options.refreshMarginMs ?? 5 * 60_000);
    this.logger = options.logger ?? silentLogger;
  }

  /** A business call (`{errno, msg, data}`) with the app token; renews it and retries once when refused (110/111). */
  async call(creds: BaiduCredentials, operation: string, req: BaiduRequest): Promise<BaiduJson> {
    const token = await this.appToken(creds, operation);
    try {
      return await this.send(operation, req, token);
    } catch (err) {
      if (!(err instanceof HostError && TOKEN_INVALID_ERRNOS.has(err.nativeCode ?? ''))) throw err;
      this.logger.debug({ host: 'BAIDU', operation, nativeCode: err.nativeCode }, 'app token refused, renewing');
      return this.send(operation, req, await this.appToken(creds, operation, token));
    }
  }

  /** The merchant app's access token; `refused` names a token the host just rejected. */
  async appToken(creds: BaiduCredentials, operation: string, refused?: string): Promise<string> {
    const key = `baidu:app:${creds.tpClientId}:${creds.appId}`;
    return this.tokens.renewOnce(key, refused, async () => {
      const res = await this.refreshAppToken(creds, operation, refused !== undefined);
      const token = requireString(res, 'access_token', operation);
      await this.options.tokenStore.set(key, token, this.tokens.expiry(res.expires_in, APP_TOKEN_DEFAULT_S));
      return token;
    });
  }

  /** The TP access token from client_id + the pushed ticket (B1 #2). */
  async tpToken(creds: BaiduCredentials, operation: string, refused?: string): Promise<string> {
    const key = `baidu:tp:${creds.tpClientId}`;
    return this.tokens.renewOnce(key, refused, async () => {
      const res = await this.send(operation, { method: 'GET', path: PATH_TP_TOKEN, params: { client_id: creds.tpClientId, ticket: creds.ticket } });
      const data = (typeof res.data === 'object' && res.data !== null ? res.data : {}) as BaiduJson;
      const token = requireString(data, 'access_token', operation);
      await this.options.tokenStore.set(key, token, this.tokens.expiry(data.expires_in, TP_TOKEN_DEFAULT_S));
      return token;
    });
  }

  // B1 #6: the refresh token is single use and every answer carries a new one; it is stored before
  // the access token so a crash in between never loses it. The stored one wins over the credentials'.
  private async refreshAppToken(creds: BaiduCredentials, operation: string, afterRefusal: boolean): Promise<BaiduJson> {
    const refreshKey = `baidu:refresh:${creds.tpClientId}:${creds.appId}`;
    let refreshToken = (await this.options.tokenStore.get(refreshKey))?.value ?? creds.refreshToken;
    // Tokens are renewed 5 min early, so a refused app token means the host's view of our tokens
    // changed (revocation, expiry we did not expect); the TP token is suspect too, so renew it first
    // rather than spend an oauth/token call on it. Single flight keeps it to one TP request.
    const suspect = afterRefusal ? (await this.options.tokenStore.get(`baidu:tp:${creds.tpClientId}`))?.value : undefined;
    let tpToken = await this.tpToken(creds, operation, suspect);
    let res: BaiduJson | null = null;
    // One retry per cause: a refused TP token, or a stored refresh token the host no longer takes
    // (the gateway re-authorized and put a newer one in the credentials).
    for (let attempt = 0; res === null; attempt++) {
      try {
        const params = { access_token: tpToken, refresh_token: refreshToken, grant_type: 'app_to_tp_refresh_token' };
        res = await this.send(operation, { method: 'GET', path: PATH_OAUTH_TOKEN, params, envelope: 'oauth' });
      } catch (err) {
        if (attempt >= 2 || !(err instanceof HostError)) throw err;
        if (OAUTH_TOKEN_INVALID.has(err.nativeCode ?? '') || TOKEN_INVALID_ERRNOS.has(err.nativeCode ?? '')) {
          tpToken = await this.tpToken(creds, operation, tpToken);
        } else if (err.nativeCode === 'invalid_grant' && refreshToken !== creds.refreshToken) {
          await this.options.tokenStore.delete(refreshKey);
          refreshToken = creds.refreshToken;
        } else throw err;
      }
    }
    const rotated = requireString(res, 'refresh_token', operation);
    await this.options.tokenStore.set(refreshKey, rotated, null);
    return res;
  }

  /** One HTTP exchange; every failure becomes a HostError without the request (it holds tokens). */
  private async send(operation: string, req: BaiduRequest, token?: string): Promise<BaiduJson> {
    const url = new URL(req.path, this.options.baseUrl);
    if (token) url.searchParams.set('access_token', token);
    const form = new URLSearchParams(req.params ?? {});
    if (req.method === 'GET') for (const [k, v] of form) url.searchParams.set(k, v);
    let res;
    try {
      res = await this.options.http({
        method: req.method,
        url: url.toString(),
        headers: req.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
        body: req.method === 'POST' ? form.toString() : undefined,
        timeoutMs: this.options.timeoutMs,
      });
    } catch (err) {
      throw errorFromTransport(err, operation);
    }
    const text = res.text();
    const requestId = res.headers['x-request-id'] ?? res.headers['logid'] ?? null;
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: judged by the HTTP status below
    }
    const json = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as BaiduJson) : null;
    // The OpenAPI gateway's own envelope comes first, as the official Go client checks it before
    // errno (smartapp-openapi-go openapi/tp/*.go): access-token errors 110/111 arrive there.
    if (json && json.error_code !== undefined && json.error_code !== null && scalarText(json.error_code) !== '0') {
      throw errorFromOpenApi(scalarText(json.error_code), scalarText(json.error_msg), operation, requestId);
    }
    // OAuth endpoints answer errors as {error, error_description}, possibly with a 4xx status (B0).
    if (json && typeof json.error === 'string' && json.error !== '') {
      throw errorFromOAuth(json.error, scalarText(json.error_description), operation, requestId);
    }
    if (res.status !== 200) throw errorFromHttpStatus(res.status, text, operation);
    if (!json) throw malformedAnswer(body === null ? 'answer is not JSON' : 'answer is not a JSON object', operation, text, requestId);
    if ((req.envelope ?? 'business') === 'oauth') return json;
    // A business answer without errno is in neither envelope: never read as a success.
    const errno = scalarText(json.errno);
    if (!/^-?\d+$/.test(errno)) throw malformedAnswer('answer has neither errno nor error_code', operation, text, requestId);
    if (Number(errno) !== 0) throw errorFromErrno(errno, scalarText(json.msg), operation, requestId);
    return json;
  }
}

function requireString(res: BaiduJson, field: string, operation: string): string {
  const v = res[field];
  if (typeof v === 'string' && v !== '') return v;
  // The evidence is redacted (answerEvidence): a token answer may carry other tokens.
  throw malformedAnswer(`token answer lacks ${field}`, operation, JSON.stringify(res));
}
