import { deliveryBody, matchesFilter } from './webhook-payload.js';

const event = {
  organizationId: 'o',
  miniProgramId: 'p1',
  bindingId: 'b',
  submissionId: 's',
  host: 'WECHAT',
  type: 'STAGE_CHANGED' as const,
  fromStage: null,
  toStage: 'PENDING' as const,
  evidence: { reason: 'x' },
  seq: '12',
  txId: '900',
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
};

describe('matchesFilter', () => {
  it.each([
    [{}, true],
    [{ hosts: ['WECHAT'] }, true],
    [{ hosts: ['ALIPAY'] }, false],
    [{ types: ['DRIFT_DETECTED'] }, false],
    [{ types: ['STAGE_CHANGED'], miniProgramIds: ['p1'] }, true],
    [{ miniProgramIds: ['p2'] }, false],
    [{ hosts: [] }, true],
  ])('%j -> %s', (filter, expected) => expect(matchesFilter(filter, event)).toBe(expected));
});

describe('deliveryBody', () => {
  it('carries the event, its cursor, and evidence only when asked', () => {
    const body = JSON.parse(deliveryBody(event, false)) as { type: string; cursor: string; event: Record<string, unknown> };
    expect(body.type).toBe('listing.event');
    expect(Buffer.from(body.cursor, 'base64url').toString()).toBe('chg:900:12');
    expect(body.event).toMatchObject({ seq: '12', host: 'WECHAT', toStage: 'PENDING', evidence: {}, createdAt: '2026-01-02T03:04:05.678Z' });
    expect((JSON.parse(deliveryBody(event, true)) as { event: { evidence: unknown } }).event.evidence).toEqual({ reason: 'x' });
  });
});
