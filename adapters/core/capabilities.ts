import type { BasicInfoCapabilities } from './basic-info.js';

// What a host offers through its open-platform API. The gateway checks these before any call
// and refuses with a clear error instead of faking a feature the host does not have.
export interface GrayReleaseCapability {
  /** Percentages the host accepts. `null` means any whole number in [min, max]. */
  allowedPercentages: readonly number[] | null;
  min: number;
  max: number;
  /** The host refuses a new percentage lower than the current one. */
  mustIncrease: boolean;
  /** A gray release can be cancelled (users go back to the previous version). */
  cancellable: boolean;
}

export interface HostCapabilities {
  grayRelease: GrayReleaseCapability | null;
  rollback: boolean;
  withdrawReview: boolean;
  speedUpReview: boolean;
  analytics: boolean;
  /** The host pushes review results (otherwise the gateway must poll `reviewStatus`). */
  reviewPushes: boolean;
  /** Some basic-info field can be changed through the API: derived from `basicInfo` (`basicInfoSyncOf`). */
  basicInfoSync: boolean;
  /** Per basic-info field: changeable by API, reviewed, quota, readable (see basic-info.ts). */
  basicInfo: BasicInfoCapabilities;
  /** Artifact kinds `upload` accepts. ISV platforms upload from a code template. */
  artifactKinds: readonly ('TEMPLATE' | 'PACKAGE')[];
}

export const CAPABILITY_NAMES = ['grayRelease', 'rollback', 'withdrawReview', 'speedUpReview', 'analytics', 'reviewPushes', 'basicInfoSync'] as const;
export type CapabilityName = (typeof CAPABILITY_NAMES)[number];

export function hasCapability(caps: HostCapabilities, name: CapabilityName): boolean {
  return name === 'grayRelease' ? caps.grayRelease !== null : caps[name];
}
