import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { BASIC_INFO_FIELDS, type BasicInfoChange, type BasicInfoField } from '../basic-info.js';
import type { HostCapabilities } from '../capabilities.js';
import { UnsupportedCapabilityError } from '../host-error.js';
import { eventually } from './eventually.js';
import { failureOf, OUTCOME_WITHIN_MS, type SuiteContext } from './suite-context.js';

// A tiny PNG signature plus a header chunk start: enough bytes for every host's upload path.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000090000000900802000000', 'hex');

/** One change of each field a host might offer, valid on all four. */
function sampleChange(field: BasicInfoField, category: string): BasicInfoChange {
  switch (field) {
    case 'name':
      return { field, name: '城市点餐新店' };
    case 'shortName':
      return { field, shortName: '点餐' };
    case 'slogan':
      return { field, slogan: '附近好店在线点餐更方便' };
    case 'description':
      return { field, description: '附近餐厅在线点餐、排队取号与外卖配送服务' };
    case 'icon':
      return { field, icon: { bytes: PNG, contentType: 'image/png' } };
    case 'category':
      return { field, category };
    case 'serviceContact':
      return { field, phone: '400-123-4567', email: 'support@sandbox.test' };
  }
}

export function describeBasicInfo(s: SuiteContext, caps: HostCapabilities): void {
  describe('basic info', () => {
    it('reads back what the host shows: the name the app has in the sandbox', async () => {
      const ctx = await s.newApp();
      const info = await s.adapter.readBasicInfo(ctx);
      expect(info.name).toBe(s.sandbox.basicInfo.state(ctx.hostAppId).name);
      expect(info.pendingReviews).toEqual([]);
    });

    for (const field of BASIC_INFO_FIELDS.filter((f) => !caps.basicInfo[f].changeable)) {
      it(`refuses a ${field} change (not offered) before any network call`, async () => {
        const ctx = await s.newApp();
        const before = s.sandbox.calls.length;
        const error = await failureOf(s.adapter.applyBasicInfo(ctx, sampleChange(field, s.harness.validDefinition().category)));
        expect(s.sandbox.calls.length).toBe(before);
        expect(error).toBeInstanceOf(UnsupportedCapabilityError);
        expect((error as UnsupportedCapabilityError).host).toBe(s.hostId);
      });
    }

    if (caps.basicInfo.name.changeable) {
      it('renames the app: a rejected review keeps the old name with its reason, an approved one shows the new name', async () => {
        const ctx = await s.newApp();
        const old = s.sandbox.basicInfo.state(ctx.hostAppId).name;
        const reviewed = caps.basicInfo.name.needsReview;
        if (reviewed) s.sandbox.basicInfo.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
        const first = await s.adapter.applyBasicInfo(ctx, sampleChange('name', ''));
        expect(first.status).toBe(reviewed ? 'IN_REVIEW' : 'APPLIED');
        if (reviewed) {
          const ref = { field: 'name' as const, reviewId: first.reviewId };
          expect((await s.adapter.basicInfoReviewStatus(ctx, ref)).status).toBe('IN_REVIEW');
          s.sandbox.basicInfo.decideReview(ctx.hostAppId, 'name', { decision: 'reject', reason: 'conformance: name does not match the content' });
          const state = await s.adapter.basicInfoReviewStatus(ctx, ref);
          expect(state).toMatchObject({ status: 'REJECTED', reason: 'conformance: name does not match the content' });
          expect((await s.adapter.readBasicInfo(ctx)).name).toBe(old);
          s.sandbox.basicInfo.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
          const second = await s.adapter.applyBasicInfo(ctx, { field: 'name', name: '城市点餐新店' });
          await eventually(
            async () => expect((await s.adapter.basicInfoReviewStatus(ctx, { field: 'name', reviewId: second.reviewId })).status).toBe('APPROVED'),
            {
              timeoutMs: OUTCOME_WITHIN_MS,
            },
          );
        }
        expect((await s.adapter.readBasicInfo(ctx)).name).toBe('城市点餐新店');
      });
    }

    if (caps.basicInfo.icon.changeable) {
      it('uploads the icon bytes the way the host requires: the host keeps exactly those bytes', async () => {
        const ctx = await s.newApp({ decision: 'approve' });
        const before = (await s.adapter.readBasicInfo(ctx)).icon?.url;
        const result = await s.adapter.applyBasicInfo(ctx, sampleChange('icon', ''));
        expect(result.field).toBe('icon');
        await eventually(
          async () => {
            expect(s.sandbox.basicInfo.state(ctx.hostAppId).icon.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
            expect((await s.adapter.readBasicInfo(ctx)).icon?.url).not.toBe(before);
          },
          { timeoutMs: OUTCOME_WITHIN_MS },
        );
      });

      it('refuses an icon type the host does not take, before any network call', async () => {
        const ctx = await s.newApp();
        const before = s.sandbox.calls.length;
        const error = await failureOf(s.adapter.applyBasicInfo(ctx, { field: 'icon', icon: { bytes: PNG, contentType: 'image/svg+xml' } }));
        expect(s.sandbox.calls.length).toBe(before);
        expect(error).toMatchObject({ kind: 'invalid', host: s.hostId });
      });
    }

    for (const field of (['description', 'slogan', 'serviceContact'] as const).filter((f) => caps.basicInfo[f].changeable)) {
      it(`changes the ${field} and reads it back once the host has taken it`, async () => {
        const ctx = await s.newApp();
        s.sandbox.basicInfo.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
        await s.adapter.applyBasicInfo(ctx, sampleChange(field, ''));
        await eventually(
          async () => {
            const info = await s.adapter.readBasicInfo(ctx);
            if (field === 'description') expect(info.description).toBe('附近餐厅在线点餐、排队取号与外卖配送服务');
            if (field === 'slogan') expect(info.slogan).toBe('附近好店在线点餐更方便');
            if (field === 'serviceContact') expect(info.serviceContact).toEqual({ phone: '400-123-4567', email: 'support@sandbox.test' });
          },
          { timeoutMs: OUTCOME_WITHIN_MS },
        );
      });
    }

    const quotaField = (['name', 'description', 'icon'] as const).find((f) => caps.basicInfo[f].changeable && caps.basicInfo[f].quota !== null);
    if (quotaField) {
      it(`refuses a ${quotaField} change once its quota is used up, as a quota error with the host's code`, async () => {
        const ctx = await s.newApp();
        s.sandbox.basicInfo.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
        const limit = s.sandbox.basicInfo.quotaUse(ctx.hostAppId, quotaField).limit ?? 0;
        for (let i = 0; i < limit; i++) {
          const change = quotaField === 'name' ? { field: 'name' as const, name: `城市点餐${'一二三四五六七八九'[i]}` } : sampleChange(quotaField, '');
          await eventually(async () => expect((await s.adapter.applyBasicInfo(ctx, change)).field).toBe(quotaField), { timeoutMs: OUTCOME_WITHIN_MS });
        }
        // The last change may still be in review (a review in progress is a conflict): ask until
        // the host answers with the quota, as the loop above asks until each change is taken.
        await eventually(
          async () => {
            const error = await failureOf(s.adapter.applyBasicInfo(ctx, sampleChange(quotaField, '')));
            expect(error).toMatchObject({ kind: 'quota', host: s.hostId });
          },
          { timeoutMs: OUTCOME_WITHIN_MS },
        );
      });
    }
  });
}
