import { HOST_IDS, type HostId, type HostSandbox } from '../../adapters/core/index.js';
import { SandboxAdminServer } from '../../adapters/core/sandbox-kit/index.js';
import { HOST_REGISTRY } from './host-adapter.registry.js';
import { callbackUrlFor, sandboxReviewPolicy } from './host-runtime.service.js';

// `npm run sandboxes`: the four host sandboxes as their own process, so several gateway instances
// and workers share the same fake hosts (gateways: HOSTS_MODE=sandbox SANDBOX_URL=<admin URL>).
// Settings: SANDBOX_PORT (admin route, 0 = free port; the hosts take free ports, listed by the
// admin route), SANDBOX_CALLBACK_URL (a gateway's base URL the sandboxes push to),
// SANDBOX_REVIEW_DELAY_MS and SANDBOX_REVIEW_OUTCOME (as for the gateway), SANDBOX_WECHAT_AUDIT_QUOTA
// (WeChat's platform-wide monthly submit quota, default 20: raise it for load runs).
async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.SANDBOX_PORT ?? '4100');
  const delay = Number(env.SANDBOX_REVIEW_DELAY_MS ?? '3000');
  const outcome = (env.SANDBOX_REVIEW_OUTCOME ?? 'approve') as 'approve' | 'reject' | 'hold';
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('SANDBOX_PORT must be a port number');
  if (!Number.isInteger(delay) || delay < 0) throw new Error('SANDBOX_REVIEW_DELAY_MS must be a whole number of milliseconds');
  if (!['approve', 'reject', 'hold'].includes(outcome)) throw new Error('SANDBOX_REVIEW_OUTCOME must be approve, reject or hold');
  const sandboxes = new Map<HostId, HostSandbox>();
  for (const host of HOST_IDS) {
    const sandbox = HOST_REGISTRY[host].createSandbox({
      wechatAuditQuota: env.SANDBOX_WECHAT_AUDIT_QUOTA ? Number(env.SANDBOX_WECHAT_AUDIT_QUOTA) : undefined,
    });
    await sandbox.start();
    if (env.SANDBOX_CALLBACK_URL) sandbox.setCallbackUrl(callbackUrlFor(env.SANDBOX_CALLBACK_URL.replace(/\/+$/, ''), host));
    sandboxes.set(host, sandbox);
  }
  const admin = new SandboxAdminServer(sandboxes, () => sandboxReviewPolicy({ SANDBOX_REVIEW_DELAY_MS: delay, SANDBOX_REVIEW_OUTCOME: outcome }));
  const adminUrl = await admin.start(port);
  console.log(JSON.stringify({ msg: 'host sandboxes listening', adminUrl, hosts: Object.fromEntries([...sandboxes].map(([h, s]) => [h, s.baseUrl])) }));
  const stop = () => {
    void Promise.allSettled([admin.stop(), ...[...sandboxes.values()].map((s) => s.stop())]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`sandboxes failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
