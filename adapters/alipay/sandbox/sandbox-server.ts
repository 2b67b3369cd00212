import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AlipaySandbox, AlipayRecordedCall } from './alipay-sandbox.js';
import { checkSha256WithRsa, gatewaySignString, sha256WithRsa } from './sandbox-crypto.js';
import { injected, SandboxNativeError } from './sandbox-errors.js';
import { isKnownMethod, ROUTES } from './sandbox-routes.js';
import { hangUnlessAbandoned, readRequestBody } from '../../core/sandbox-kit/index.js';
import { scalarText } from '../../core/index.js';

export const GATEWAY_PATH = '/gateway.do';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const REDACTED = new Set(['sign', 'app_auth_token']);

/** `{"<key>":<node>,"sign":"…"}` signed over the node's exact text (A1.4); error_response unsigned. */
function answer(sb: AlipaySandbox, res: ServerResponse, call: AlipayRecordedCall, method: string, node: Record<string, unknown>, errorNode = false): void {
  call.answeredCode = node.sub_code ? `${String(node.code)}/${scalarText(node.sub_code)}` : String(node.code);
  const text = JSON.stringify(node);
  let body: string;
  if (errorNode) body = `{"error_response":${text}}`;
  else {
    // Option: the body escapes "/" as "\/" while the signature covers the unescaped text, which the
    // Java and PHP clients' retry exists for (A1.4).
    const shown = sb.options.escapeSlashes ? text.replaceAll('/', '\\/') : text;
    body = `{"${method.replaceAll('.', '_')}_response":${shown},"sign":"${sha256WithRsa(text, sb.alipayKeys.privateKey)}"}`;
  }
  res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'alipay-trace-id': call.traceId }).end(body);
}

/** Gateway-level checks of A1.2/A1.3, in the order a gateway would make them. */
function authenticate(sb: AlipaySandbox, p: Record<string, string>): void {
  if (!p.method) throw new SandboxNativeError('40001', 'isv.missing-method', 'method is missing', true);
  if (!isKnownMethod(p.method)) throw new SandboxNativeError('40002', 'isv.invalid-method', 'method does not exist', true);
  if (!p.app_id) throw new SandboxNativeError('40001', 'isv.missing-app-id', 'app_id is missing');
  if (p.app_id !== sb.isvAppId) throw new SandboxNativeError('40002', 'isv.invalid-app-id', 'app_id is invalid');
  if (!p.sign) throw new SandboxNativeError('40001', 'isv.missing-signature', 'sign is missing');
  if (!p.sign_type) throw new SandboxNativeError('40001', 'isv.missing-signature-type', 'sign_type is missing');
  if (p.sign_type !== 'RSA2') throw new SandboxNativeError('40002', 'isv.invalid-signature-type', 'only RSA2 is configured');
  if (!p.timestamp) throw new SandboxNativeError('40001', 'isv.missing-timestamp', 'timestamp is missing');
  if (!TIMESTAMP.test(p.timestamp)) throw new SandboxNativeError('40002', 'isv.invalid-timestamp', 'timestamp must be yyyy-MM-dd HH:mm:ss');
  if (!p.version) throw new SandboxNativeError('40001', 'isv.missing-version', 'version is missing');
  if (p.charset && p.charset.toLowerCase() !== 'utf-8') throw new SandboxNativeError('40002', 'isv.invalid-charset', 'charset must be utf-8');
  const content = gatewaySignString(p);
  if (!checkSha256WithRsa(content, p.sign, sb.isvKeys.publicKey)) {
    // Like the real gateway (A1.4 NODE comment), sub_msg quotes the sign string it built.
    throw new SandboxNativeError('40002', 'isv.invalid-signature', `验签出错，网关生成的验签字符串为：${content}`);
  }
}

/** One gateway call: record, faults, authentication, then the method's route. */
export async function handleGatewayRequest(sb: AlipaySandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const query = Object.fromEntries(url.searchParams);
  const raw = await readRequestBody(req);
  // A1.1: system params in the URL, business params in the form body; read both.
  const params: Record<string, string> = { ...query, ...Object.fromEntries(new URLSearchParams(raw)) };
  const method = params.method ?? '';
  const redacted = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, REDACTED.has(k) ? '[redacted]' : v]));
  const call: AlipayRecordedCall = {
    method: req.method ?? 'POST',
    path: url.pathname,
    query: redacted,
    apiMethod: method,
    answeredCode: 'pending',
    at: new Date(),
    traceId: sb.nextTraceId(),
  };
  sb.recorded.push(call);

  const f = sb.faults;
  if (f.shouldHang() && (await hangUnlessAbandoned(res, f.hangMs))) return void (call.answeredCode = 'TIMEOUT');
  if (f.shouldFailWith503()) {
    call.answeredCode = 'HTTP 503';
    return void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
  }
  if (url.pathname !== GATEWAY_PATH || req.method !== 'POST') {
    call.answeredCode = 'HTTP 404';
    return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  }
  const rawAnswer = f.takeRawAnswer(url.pathname, method);
  if (rawAnswer) {
    call.answeredCode = `RAW ${rawAnswer.status}`;
    return void res.writeHead(rawAnswer.status, { 'content-type': rawAnswer.contentType }).end(rawAnswer.body);
  }
  try {
    const fault = f.takeFailure(url.pathname, method);
    if (fault !== null) throw injected(fault);
    authenticate(sb, params);
    const app = sb.appByToken(params.app_auth_token);
    if (!app) throw new SandboxNativeError('20001', 'aop.invalid-app-auth-token', '无效的应用授权令牌');
    let biz: Record<string, unknown> = {};
    if (params.biz_content) {
      try {
        biz = JSON.parse(params.biz_content) as Record<string, unknown>;
      } catch {
        throw new SandboxNativeError('40002', 'isv.invalid-parameter', 'biz_content is not JSON');
      }
    }
    const fields = ROUTES[method]({
      app,
      biz,
      params,
      now: new Date(sb.options.now()),
      buildDelayMs: sb.options.buildDelayMs,
      reviewStarted: (a, v) => sb.reviewStarted(a, v),
      reviewCancelled: (a) => sb.reviewCancelled(a),
    });
    answer(sb, res, call, method, { code: '10000', msg: 'Success', ...fields });
  } catch (err) {
    if (!(err instanceof SandboxNativeError)) throw err;
    answer(sb, res, call, method || 'error', err.node(), err.errorNode);
  }
}
