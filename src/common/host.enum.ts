import { registerEnumType } from '@nestjs/graphql';
import { HOST_IDS, type HostId } from '../../adapters/core/host-id.js';

/** The super-app hosts, as a GraphQL enum mirroring adapters/core HOST_IDS. */
export const Host = Object.fromEntries(HOST_IDS.map((h) => [h, h])) as { [K in HostId]: K };
export type Host = HostId;

// One line per host; the Record type makes a new id in HOST_IDS a compile error until described.
const HOST_DESCRIPTIONS: Record<HostId, string> = {
  WECHAT: 'WeChat (Tencent), through its third-party platform API.',
  ALIPAY: 'Alipay (Ant Group), through its open platform as an ISV acting for merchants.',
  BAIDU: "Baidu smart programs, through Baidu's third-party platform API.",
  BYTEDANCE: 'Douyin (ByteDance), through its third-party mini-app platform API.',
};
registerEnumType(Host, {
  name: 'Host',
  description: 'A super-app host a mini-program can be listed on.',
  valuesMap: Object.fromEntries(HOST_IDS.map((h) => [h, { description: HOST_DESCRIPTIONS[h] }])),
});
