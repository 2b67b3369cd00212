// Native answers the sandbox gives (shared/hosts A3). msg strings per top-level code.
export const SANDBOX_CODE_MSG: Readonly<Record<string, string>> = {
  '10000': 'Success',
  '20000': 'Service Currently Unavailable',
  '20001': 'Insufficient Token Permissions',
  '40001': 'Missing Required Arguments',
  '40002': 'Invalid Arguments',
  '40003': 'Insufficient Conditions',
  '40004': 'Business Failed',
  '40006': 'Insufficient Permissions',
};

// Documented sub_codes (A3) and the code the sandbox sends them under (40004 presumed, A3).
const SUB_CODE_TOP: Readonly<Record<string, string>> = {
  'isp.unknow-error': '20000',
  'aop.unknow-error': '20000',
  'aop.invalid-app-auth-token': '20001',
  'aop.invalid-app-auth-token-no-api': '20001',
  'isv.invalid-signature': '40002',
  'isv.insufficient-isv-permissions': '40006',
};

/** A native failure the sandbox answers with; `errorNode` puts it under error_response (A1.4). */
export class SandboxNativeError extends Error {
  constructor(
    readonly code: string,
    readonly subCode: string | null,
    readonly subMsg: string,
    readonly errorNode = false,
  ) {
    super(`${code}/${subCode ?? ''} ${subMsg}`);
  }

  node(): Record<string, string> {
    const n: Record<string, string> = { code: this.code, msg: SANDBOX_CODE_MSG[this.code] ?? 'Business Failed' };
    if (this.subCode) Object.assign(n, { sub_code: this.subCode, sub_msg: this.subMsg });
    return n;
  }
}

/**
 * 40004 with a business sub_code (most mini-program sub_codes, A3). A call in the wrong version
 * state, a rollback with no earlier online version and a 21st development version have no sub_code
 * we could find documented: the sandbox says INVALID_VERSION_STATUS, NO_PREVIOUS_ONLINE_VERSION and
 * DEV_VERSION_EXCEEDED, and the adapter reads any such unknown sub_code by its code (40004: invalid).
 */
export const business = (subCode: string, subMsg: string) => new SandboxNativeError('40004', subCode, subMsg);

/** A failure from a failNext spec: `40004/CAN_NOT_SUBMIT_WITH_AUDIT_GRAY`, `20000/isp.unknow-error` or a bare code. */
export function injected(nativeCode: string): SandboxNativeError {
  const [a, b] = nativeCode.split('/');
  if (b !== undefined) return new SandboxNativeError(a, b, `injected ${b}`);
  if (/^\d+$/.test(a)) return new SandboxNativeError(a, null, '');
  return new SandboxNativeError(SUB_CODE_TOP[a] ?? '40004', a, `injected ${a}`);
}
