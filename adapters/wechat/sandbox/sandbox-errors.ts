import { randomHex } from './sandbox-crypto.js';

// errmsg texts as wechat.md §1.4, §2 and §3 quote them; the sandbox appends a rid like the live API.
const MESSAGES: Record<string, string> = {
  '-1': 'system error',
  '40001': 'invalid credential, access_token is invalid or not latest',
  '40013': 'invalid appid',
  '40097': 'invalid args',
  '40125': 'invalid appsecret',
  '41001': 'access_token missing',
  '42001': 'access_token expired',
  '43001': 'require GET method',
  '43002': 'require POST method',
  '44002': 'empty post data',
  '45009': 'reach max api daily quota limit',
  '45011': 'api minute-quota reach limit',
  '47001': 'data format error',
  '48001': 'api unauthorized',
  '61003': 'component is not authorized by this account',
  '61005': 'component ticket is expired',
  '61006': 'component ticket is invalid',
  '61011': 'invalid component',
  '61023': 'refresh_token is invalid',
  '85009': 'already submit a version under auditing',
  '85012': 'invalid audit id',
  '85013': 'invalid ext_json',
  '85014': 'template not exist',
  '85019': 'no version is under auditing',
  '85020': 'status not allowed',
  '85048': 'parse ext_json fail',
  '85052': 'app is already released',
  '85058': 'no valid audit_id exist',
  '85079': 'miniprogram has no online release',
  '85080': 'miniprogram commit not approved',
  '85081': 'invalid gray percentage',
  '85082': 'gray percentage must be higher than before',
  '85085': 'submit audit reach limit',
  '85086': 'must commit before submit audit',
  '86001': 'component experience version not exists',
  '87011': 'current version in gray release, cannot revert',
  '87012': 'forbid revert this version release',
  '87013': 'no quota to undo code',
  '89401': 'system unstable, please try again later',
  '89402': 'this audit is not in the audit queue',
  '89404': 'this audit has already been sped up',
  '89405': 'speed-up quota of this month is used up',
  '9402202': 'concurrent limit, please wait for the previous operation',
  '40004': 'invalid media type',
  '40007': 'invalid media_id',
  '40009': 'invalid image size',
  '41005': 'media data missing',
  '53200': 'modify signature quota of this month is used up',
  '53202': 'modify head image quota of this month is used up',
  '53204': 'signature is invalid',
  '91003': 'nickname modify state is not allowed',
  '91004': 'nickname is invalid',
  '91011': 'nickname audit record not found',
  '91019': 'nickname is being audited',
};

/** A native failure the sandbox answers with HTTP 200 and an errcode envelope. */
export class SandboxNativeError extends Error {
  constructor(readonly errcode: number) {
    super(MESSAGES[String(errcode)] ?? `error ${errcode}`);
  }
}

export function errorEnvelope(errcode: number): { errcode: number; errmsg: string } {
  const text = MESSAGES[String(errcode)] ?? `error ${errcode}`;
  return { errcode, errmsg: `${text} rid: ${randomHex(8)}-${randomHex(8)}-${randomHex(8)}` };
}
