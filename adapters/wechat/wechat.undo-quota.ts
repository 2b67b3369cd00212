import { HostError, type TokenStore } from '../core/index.js';
import type { WechatCredentials } from './wechat.credentials.js';
import { msUntil } from './wechat.errors.js';

/** undocodeaudit caps per merchant mini program (wechat.md §4: 5 a day, 10 a month; 87013 for both). */
export const UNDO_AUDIT_LIMITS = { perDay: 5, perMonth: 10 } as const;

const CHINA_OFFSET_MS = 8 * 3600_000;
const china = (d: Date) => new Date(d.getTime() + CHINA_OFFSET_MS);
const dayKey = (d: Date) => china(d).toISOString().slice(0, 10);
const monthKey = (d: Date) => china(d).toISOString().slice(0, 7);
const at = (ms: number | null, now: Date) => new Date(now.getTime() + (ms ?? 0));

/**
 * Which undocodeaudit cap answered 87013. WeChat answers the same code for the daily and the
 * monthly cap and offers no API to read either (wechat.md §4), so the undos made through the
 * gateway are counted in the token store (shared by all instances), per China day and month:
 * - 10 undos this month, or a refusal already on an earlier day of this month (the daily cap has
 *   reset since, so the month's is reached): retry on the 1st of next month;
 * - otherwise: retry after 00:00 China time.
 */
export class UndoAuditLedger {
  constructor(
    private readonly store: TokenStore,
    private readonly now: () => Date,
  ) {}

  /** Counts one undo that the host took. */
  async used(c: WechatCredentials): Promise<void> {
    const now = this.now();
    for (const [key, until] of [
      [this.key(c, 'day', dayKey(now)), at(msUntil('nextDay', now), now)],
      [this.key(c, 'month', monthKey(now)), at(msUntil('nextMonth', now), now)],
    ] as const) {
      const count = Number((await this.store.get(key))?.value ?? '0');
      await this.store.set(key, String(count + 1), until);
    }
  }

  /** The 87013 refusal with the retry time of the cap that is reached. */
  async refused(c: WechatCredentials, err: HostError): Promise<HostError> {
    const now = this.now();
    const month = Number((await this.store.get(this.key(c, 'month', monthKey(now))))?.value ?? '0');
    const refusedKey = this.key(c, 'refused', monthKey(now));
    const earlier = (await this.store.get(refusedKey))?.value;
    const monthly = month >= UNDO_AUDIT_LIMITS.perMonth || (earlier !== undefined && earlier !== dayKey(now));
    if (earlier === undefined) await this.store.set(refusedKey, dayKey(now), at(msUntil('nextMonth', now), now));
    return new HostError({
      host: err.host,
      kind: err.kind,
      retryable: err.retryable,
      retryAfterMs: msUntil(monthly ? 'nextMonth' : 'nextDay', now),
      nativeCode: err.nativeCode,
      nativeMessage: `${err.nativeMessage} (${monthly ? `monthly cap of ${UNDO_AUDIT_LIMITS.perMonth}` : `daily cap of ${UNDO_AUDIT_LIMITS.perDay}`} reached)`,
      requestId: err.requestId,
      operation: err.operation,
    });
  }

  private key(c: WechatCredentials, period: string, when: string): string {
    return `wechat:undoaudit:${c.componentAppId}:${c.authorizerAppId}:${period}:${when}`;
  }
}
