import { HostError, TokenCache, silentLogger, unexpectedAnswer, type AdapterLogger, type HttpTransport, type TokenStore } from '../core/index.js';
import type { WechatCredentials } from './wechat.credentials.js';
import { errorFromErrcode, errorFromHttpStatus, errorFromTransport, TOKEN_INVALID_CODES } from './wechat.errors.js';

export interface WechatClientOptions {
  baseUrl: string;
  http: HttpTransport;
  tokenStore: TokenStore;
  now: () => Date;
  logger?: AdapterLogger;
  timeoutMs?: number;
  /** Refresh a cached token this long before it expires. */
  refreshMarginMs?: number;
}

export interface WechatRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. POSTs without parameters still send `{}` (44002 otherwise, wechat.md §0). */
  body?: Record<string, unknown>;
  /**
   * A field a successful answer always has. Default `errcode`: business APIs answer `errcode: 0`
   * (wechat.md §0); token and datacube answers carry only their fields (`list` for datacube).
   */
  expect?: string;
}

export type WechatJson = Record<string, unknown> & { errcode?: number; errmsg?: string };

const PATH_COMPONENT_TOKEN = '/cgi-bin/component/api_component_token';
const PATH_AUTHORIZER_TOKEN = '/cgi-bin/component/api_authorizer_token';

/** HTTP, tokens and native errors for one WeChat third-party platform; per-call credentials. */
export class WechatClient {
  private readonly tokens: TokenCache;
  private readonly logger: AdapterLogger;

  constructor(private readonly options: WechatClientOptions) {
    this.tokens = new TokenCache(options.tokenStore, options.now, options.refreshMarginMs ?? 5 * 60_000);
    this.logger = options.logger ?? silentLogger;
  }

  /** Calls an authorizer API with `access_token=`; refreshes the token and retries once when the host says it is invalid. */
  async call(creds: WechatCredentials, operation: string, req: WechatRequest): Promise<WechatJson> {
    const token = await this.authorizerToken(creds, operation);
    try {
      return await this.send(operation, req, token);
    } catch (err) {
      if (!isTokenInvalid(err)) throw err;
      this.logger.debug({ host: 'WECHAT', operation, nativeCode: (err as HostError).nativeCode }, 'authorizer token refused, refreshing');
      const fresh = await this.authorizerToken(creds, operation, token);
      return this.send(operation, req, fresh);
    }
  }

  /** The current authorizer_access_token; `refused` names a token the host just rejected. */
  async authorizerToken(creds: WechatCredentials, operation: string, refused?: string): Promise<string> {
    const key = `wechat:authorizer:${creds.componentAppId}:${creds.authorizerAppId}`;
    return this.tokens.renewOnce(key, refused, async () => {
      const refreshKey = `wechat:refresh:${creds.componentAppId}:${creds.authorizerAppId}`;
      const stored = (await this.options.tokenStore.get(refreshKey))?.value;
      const ask = async (componentToken: string, refreshToken: string) =>
        this.send(
          operation,
          {
            method: 'POST',
            path: PATH_AUTHORIZER_TOKEN,
            expect: 'authorizer_access_token',
            body: { component_appid: creds.componentAppId, authorizer_appid: creds.authorizerAppId, authorizer_refresh_token: refreshToken },
          },
          componentToken,
          'component_access_token',
        );
      // A refused authorizer token means the host's view of our tokens changed (expiry, or a re-issue
      // elsewhere, wechat.md §8 UNCONFIRMED); the component token is suspect too, so renew it first.
      const suspect = refused ? (await this.options.tokenStore.get(`wechat:component:${creds.componentAppId}`))?.value : undefined;
      let componentToken = await this.componentToken(creds, operation, suspect);
      let refreshToken = stored ?? creds.authorizerRefreshToken;
      let res: WechatJson | null = null;
      // One retry per cause: a refused component token, or a stored refresh token the host no longer takes (61023).
      for (let attempt = 0; res === null; attempt++) {
        try {
          res = await ask(componentToken, refreshToken);
        } catch (err) {
          if (attempt >= 2 || !(err instanceof HostError)) throw err;
          if (isTokenInvalid(err)) componentToken = await this.componentToken(creds, operation, componentToken);
          else if (err.nativeCode === '61023' && refreshToken !== creds.authorizerRefreshToken) {
            await this.options.tokenStore.delete(refreshKey);
            refreshToken = creds.authorizerRefreshToken;
          } else throw err;
        }
      }
      const token = requireString(res, 'authorizer_access_token', operation);
      // §1.3: whether a new refresh token comes back is not stated; always keep what the host returns.
      if (typeof res.authorizer_refresh_token === 'string' && res.authorizer_refresh_token !== '') {
        await this.options.tokenStore.set(refreshKey, res.authorizer_refresh_token, null);
      }
      await this.options.tokenStore.set(key, token, this.tokens.expiry(res.expires_in, 7200));
      return token;
    });
  }

  /** The current component_access_token (api_component_token with the pushed ticket, wechat.md §1.2). */
  async componentToken(creds: WechatCredentials, operation: string, refused?: string): Promise<string> {
    const key = `wechat:component:${creds.componentAppId}`;
    return this.tokens.renewOnce(key, refused, async () => {
      const res = await this.send(operation, {
        method: 'POST',
        path: PATH_COMPONENT_TOKEN,
        expect: 'component_access_token',
        body: { component_appid: creds.componentAppId, component_appsecret: creds.componentAppSecret, component_verify_ticket: creds.componentVerifyTicket },
      });
      const token = requireString(res, 'component_access_token', operation);
      await this.options.tokenStore.set(key, token, this.tokens.expiry(res.expires_in, 7200));
      return token;
    });
  }

  private async send(operation: string, req: WechatRequest, token?: string, tokenParam = 'access_token'): Promise<WechatJson> {
    const url = new URL(req.path, this.options.baseUrl);
    if (token) url.searchParams.set(tokenParam, token);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    let res;
    try {
      res = await this.options.http({
        method: req.method,
        url: url.toString(),
        headers: req.method === 'POST' ? { 'content-type': 'application/json' } : {},
        body: req.method === 'POST' ? JSON.stringify(req.body ?? {}) : undefined,
        timeoutMs: this.options.timeoutMs,
      });
    } catch (err) {
      throw errorFromTransport(err, operation);
    }
    const text = res.text();
    if (res.status !== 200) throw errorFromHttpStatus(res.status, text, operation);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw unexpectedAnswer({ host: 'WECHAT', operation, detail: 'answer is not JSON', raw: text });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw unexpectedAnswer({ host: 'WECHAT', operation, detail: 'answer is not a JSON object', raw: text });
    }
    const body = json as WechatJson;
    if (typeof body.errcode === 'number' && body.errcode !== 0) throw errorFromErrcode(body.errcode, String(body.errmsg ?? ''), operation, this.options.now());
    // Neither an error nor the answer's own field: no documented shape, never read as a success.
    const expected = req.expect ?? 'errcode';
    if (body[expected] === undefined || body[expected] === null) {
      throw unexpectedAnswer({ host: 'WECHAT', operation, detail: `answer has neither errcode nor ${expected}`, raw: text });
    }
    return body;
  }
}

function isTokenInvalid(err: unknown): boolean {
  return err instanceof HostError && err.nativeCode !== null && TOKEN_INVALID_CODES.has(Number(err.nativeCode));
}

function requireString(res: WechatJson, field: string, operation: string): string {
  const v = res[field];
  if (typeof v === 'string' && v !== '') return v;
  throw unexpectedAnswer({ host: 'WECHAT', operation, detail: `token answer lacks ${field}`, raw: JSON.stringify(res) });
}
