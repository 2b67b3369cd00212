import { silentLogger, type AdapterLogger, type HttpTransport } from '../core/index.js';
import type { AlipayCredentials } from './alipay.credentials.js';
import { badAnswer, errorFromAlipay, errorFromHttpStatus, errorFromTransport, unverifiedAnswer } from './alipay.errors.js';
import { signRequest, verifyResponseSign, type AlipayParams } from './alipay.signature.js';

export interface AlipayClientOptions {
  /** The gateway URL (`.../gateway.do`, A1.1), or an origin to which `/gateway.do` is added. */
  baseUrl: string;
  http: HttpTransport;
  now: () => Date;
  logger?: AdapterLogger;
  timeoutMs?: number;
}

export interface AlipayRequest {
  /** Gateway method, e.g. `alipay.open.mini.version.upload`. */
  method: string;
  /** Business params, sent as the `biz_content` JSON string. */
  bizContent?: Record<string, unknown>;
  /** Upload-type APIs (audit.apply): text fields as top-level form params, not biz_content (A2). */
  textParams?: Record<string, string>;
}

export type AlipayJson = Record<string, unknown> & { code?: string; msg?: string; sub_code?: string; sub_msg?: string };

export const ALIPAY_SUCCESS_CODE = '10000';
// A1.2: fixed values of the common params.
const CHARSET = 'utf-8';
const SIGN_TYPE = 'RSA2';
const API_VERSION = '1.0';
const BEIJING_OFFSET_MS = 8 * 3600_000;

/**
 * `yyyy-MM-dd HH:mm:ss` in Beijing time (A1.2): the official Java SDK formats `timestamp` with
 * AlipayConstants.DATE_TIMEZONE = "GMT+8". The clock skew the gateway tolerates is not documented.
 */
export function beijingTimestamp(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** `alipay.open.mini.version.upload` -> `alipay_open_mini_version_upload_response` (A1.4). */
export function responseKeyOf(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}

export const GATEWAY_PATH = '/gateway.do';

export function gatewayUrl(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (!url.pathname.endsWith('.do')) url.pathname = `${url.pathname.replace(/\/+$/, '')}${GATEWAY_PATH}`;
  return url;
}

/** Signs, posts and verifies one OpenAPI 2.0 gateway call; every failure becomes a HostError. */
export class AlipayClient {
  private readonly logger: AdapterLogger;

  constructor(private readonly options: AlipayClientOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** The common params (A1.2) plus `sign`; system params travel in the URL, the rest in the body (A1.1). */
  buildParams(creds: AlipayCredentials, req: AlipayRequest): { query: AlipayParams; body: AlipayParams } {
    const query: AlipayParams = {
      app_id: creds.appId,
      method: req.method,
      charset: CHARSET,
      sign_type: SIGN_TYPE,
      timestamp: beijingTimestamp(this.options.now()),
      version: API_VERSION,
      app_auth_token: creds.appAuthToken,
    };
    const body: AlipayParams = {};
    for (const [k, v] of Object.entries(req.textParams ?? {})) if (v !== '') body[k] = v;
    if (req.bizContent) body.biz_content = JSON.stringify(req.bizContent);
    query.sign = signRequest({ ...query, ...body }, creds.privateKey);
    return { query, body };
  }

  async call(creds: AlipayCredentials, operation: string, req: AlipayRequest): Promise<AlipayJson> {
    const { query, body } = this.buildParams(creds, req);
    const url = gatewayUrl(this.options.baseUrl);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let res;
    try {
      res = await this.options.http({
        method: 'POST',
        url: url.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
        body: new URLSearchParams(body).toString(),
        timeoutMs: this.options.timeoutMs,
      });
    } catch (err) {
      throw errorFromTransport(err, operation);
    }
    const requestId = res.headers['alipay-trace-id'] ?? res.headers['trace_id'] ?? null;
    if (res.status !== 200) throw errorFromHttpStatus(res.status, operation, requestId);
    return this.readAnswer(res.text(), req.method, creds.alipayPublicKey, operation, requestId);
  }

  /** Picks the method node (or `error_response`), checks its signature, then its code (A1.4). */
  readAnswer(raw: string, method: string, alipayPublicKey: string, operation: string, requestId: string | null): AlipayJson {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw badAnswer('answer is not JSON', operation, raw, requestId);
    }
    const methodKey = responseKeyOf(method);
    const node = (k: string) => typeof json === 'object' && json !== null && typeof json[k] === 'object' && json[k] !== null;
    const key = node(methodKey) ? methodKey : node('error_response') ? 'error_response' : null;
    if (key === null) throw badAnswer(`answer has neither ${methodKey} nor error_response`, operation, raw, requestId);
    const answer = json[key] as AlipayJson;
    const sign = typeof json.sign === 'string' ? json.sign : '';
    // A1.4: method nodes are always signed; some gateway errors come unsigned under error_response.
    // An unsigned error is still only an error: nothing from it is trusted as data.
    // A method node without sign is no answer of the gateway's (a proxy, a stub): unreadable, not unauthenticated.
    if (key === methodKey && sign === '') throw badAnswer(`${methodKey} without sign`, operation, raw, requestId);
    const mustVerify = key === methodKey || sign !== '';
    if (mustVerify && !verifyResponseSign(raw, key, sign, alipayPublicKey)) {
      this.logger.warn({ host: 'ALIPAY', operation, method }, 'response signature did not verify');
      throw unverifiedAnswer('response signature does not verify with the configured Alipay public key', operation, requestId);
    }
    const code = String(answer.code ?? '');
    // A node without its code is in no documented shape (A1.4: every node carries code and msg).
    if (code === '') throw badAnswer(`${key} has no code`, operation, raw, requestId);
    if (code !== ALIPAY_SUCCESS_CODE) {
      throw errorFromAlipay(
        {
          code,
          msg: String(answer.msg ?? ''),
          subCode: answer.sub_code ? String(answer.sub_code) : null,
          subMsg: answer.sub_msg ? String(answer.sub_msg) : null,
        },
        operation,
        requestId,
      );
    }
    if (key !== methodKey) throw badAnswer('success answer under error_response', operation, raw, requestId);
    return answer;
  }
}
