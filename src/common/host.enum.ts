import { registerEnumType } from '@nestjs/graphql';
import { HOST_IDS, type HostId } from '../../adapters/core/host-id.js';

/** The super-app hosts, as a GraphQL enum mirroring adapters/core HOST_IDS. */
export const Host = Object.fromEntries(HOST_IDS.map((h) => [h, h])) as { [K in HostId]: K };
export type Host = HostId;
registerEnumType(Host, { name: 'Host', description: 'A super-app host: WECHAT, ALIPAY, BAIDU or BYTEDANCE (Douyin).' });
