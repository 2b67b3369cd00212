// The hosts the gateway knows. Adding a host means one more id here and one folder in adapters/.
export const HOST_IDS = ['WECHAT', 'ALIPAY', 'BAIDU', 'BYTEDANCE'] as const;
export type HostId = (typeof HOST_IDS)[number];

export function isHostId(value: string): value is HostId {
  return (HOST_IDS as readonly string[]).includes(value);
}
