import type { HostId } from '../../adapters/core/index.js';
import { BYTEDANCE_PATHS } from '../../adapters/bytedance/bytedance.adapter.js';
import type { SandboxCall, SandboxControl } from '../../src/hosts/sandbox-control.js';

/** How each sandbox names the three calls that change state on the host: upload, submit, release. */
export const STATE_CHANGING: Record<HostId, Record<'upload' | 'submit' | 'release', (c: SandboxCall) => boolean>> = {
  WECHAT: { upload: (c) => c.path === '/wxa/commit', submit: (c) => c.path === '/wxa/submit_audit', release: (c) => c.path === '/wxa/release' },
  ALIPAY: {
    upload: (c) => c.apiMethod === 'alipay.open.mini.version.upload',
    submit: (c) => c.apiMethod === 'alipay.open.mini.version.audit.apply',
    release: (c) => c.apiMethod === 'alipay.open.mini.version.online',
  },
  BAIDU: {
    upload: (c) => c.path === '/rest/2.0/smartapp/package/upload',
    submit: (c) => c.path === '/rest/2.0/smartapp/package/submitaudit',
    release: (c) => c.path === '/rest/2.0/smartapp/package/release',
  },
  BYTEDANCE: {
    upload: (c) => c.path === BYTEDANCE_PATHS.upload,
    submit: (c) => c.path === BYTEDANCE_PATHS.audit,
    release: (c) => c.path === BYTEDANCE_PATHS.release,
  },
};

/** Answers that say the access token was refused (the adapter renews it and repeats the call): the host did nothing. */
const TOKEN_REFUSED = new Set(['40001', '40014', '42001', '110', '111', '28001008', '40020', '40009']);

/**
 * A call the host carried out, or refused on its merits (a doubled submit refused as "already in
 * review" still counts): not one that hung unanswered, got a 503 before routing, or carried an
 * expired token.
 */
export const reachedHost = (c: SandboxCall) => !['TIMEOUT', 'HTTP 503', 'pending'].includes(c.answeredCode) && !TOKEN_REFUSED.has(c.answeredCode);

/** Calls per state-changing operation that reached the host, for one host's sandbox. */
export async function stateChangingCounts(sandboxes: SandboxControl, host: HostId) {
  const calls = (await sandboxes.calls(host)).filter(reachedHost);
  const ops = STATE_CHANGING[host];
  return { upload: calls.filter(ops.upload).length, submit: calls.filter(ops.submit).length, release: calls.filter(ops.release).length };
}
