import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedCall } from '../../core/index.js';
import { errnoEnvelope, injectedFailure, SandboxNativeError, SandboxOAuthError } from './sandbox-errors.js';
import { route } from './sandbox-routes.js';
import type { BaiduSandbox } from './baidu-sandbox.js';
import { hangUnlessAbandoned, readRequestBody } from '../../core/sandbox-kit/index.js';
import { scalarText } from '../../core/index.js';

// Never kept in the call record: tokens, tickets and refresh tokens.
const SECRET_PARAMS = new Set(['access_token', 'ticket', 'refresh_token', 'code']);

export interface BaiduRecordedCall extends RecordedCall {
  /** Parameters from the query and the form body together, secrets redacted. */
  params: Record<string, string>;
}

// B2: doc examples pass parameters in the query, SDKs as a form body; the host takes both.
function paramsOf(url: URL, contentType: string, body: string): Record<string, string> {
  const out = Object.fromEntries(url.searchParams);
  if (body.trim() === '') return out;
  if (contentType.includes('application/json')) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(body) as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
    } catch {
      // an unreadable body adds nothing; the route answers 40001 for what is missing
    }
    return out;
  }
  return { ...out, ...Object.fromEntries(new URLSearchParams(body)) };
}

function answer(res: ServerResponse, call: BaiduRecordedCall, status: number, payload: Record<string, unknown>): void {
  call.answeredCode = typeof payload.error === 'string' ? payload.error : scalarText(payload.error_code ?? payload.errno ?? 0);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(payload));
}

function failure(res: ServerResponse, call: BaiduRecordedCall, err: SandboxNativeError | SandboxOAuthError): void {
  if (err instanceof SandboxOAuthError) return answer(res, call, 400, { error: err.error, error_description: err.description });
  answer(res, call, 200, errnoEnvelope(err.errno, err.detail));
}

/** One HTTP call: record, apply faults, route; business failures are HTTP 200 + errno, OAuth ones HTTP 400. */
export async function handleSandboxRequest(sb: BaiduSandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const body = await readRequestBody(req);
  const method = (req.method ?? 'GET').toUpperCase();
  const params = paramsOf(url, String(req.headers['content-type'] ?? ''), body);
  const redacted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, SECRET_PARAMS.has(k) ? '[redacted]' : v]));
  const call: BaiduRecordedCall = {
    method,
    path: url.pathname,
    query: redacted(Object.fromEntries(url.searchParams)),
    params: redacted(params),
    answeredCode: 'pending',
    at: new Date(),
  };
  sb.recorded.push(call);

  const f = sb.faults;
  if (f.shouldHang() && (await hangUnlessAbandoned(res, f.hangMs))) return void (call.answeredCode = 'TIMEOUT');
  if (f.shouldFailWith503()) {
    call.answeredCode = 'HTTP 503';
    return void res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>503 Service Unavailable</body></html>');
  }
  const rawAnswer = f.takeRawAnswer(url.pathname);
  if (rawAnswer) {
    call.answeredCode = `RAW ${rawAnswer.status}`;
    return void res.writeHead(rawAnswer.status, { 'content-type': rawAnswer.contentType }).end(rawAnswer.body);
  }
  const injected = f.takeFailure(url.pathname);
  if (injected !== null) return failure(res, call, injectedFailure(injected));

  try {
    answer(res, call, 200, route(sb, method, url.pathname, params));
  } catch (err) {
    if (!(err instanceof SandboxNativeError || err instanceof SandboxOAuthError)) throw err;
    failure(res, call, err);
  }
}
