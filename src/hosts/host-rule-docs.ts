import { HOST_IDS } from '../../adapters/core/index.js';
import { HOST_ADAPTER_FACTORIES } from './host-adapter.registry.js';

/**
 * The profile limits (the facts docs/hosts.md is generated from) that constrain each listing
 * field, by the `rule` names the adapters' profiles use. Field descriptions in the schema quote
 * them, so a changed limit changes the printed schema and the drift check asks for a reprint.
 */
const RULES_BY_FIELD = {
  name: ['name length', 'name words'],
  slogan: ['slogan length'],
  description: ['description length'],
  keywords: ['audit tags'],
  icon: ['icon', 'logo'],
  servicePhone: ['service phone'],
  version: ['version', 'user_version', 'user_version length'],
  releaseNotes: ['release notes', 'release notes (version_desc)', 'audit note (release notes)'],
  artifact: ['artifact'],
  packageSize: ['package size'],
  grayRelease: ['gray percentage', 'gray strategies'],
} as const satisfies Record<string, readonly string[]>;

export type DocumentedField = keyof typeof RULES_BY_FIELD;

/** `[host, rule, value]` for every host limit on `field`, hosts in HOST_IDS order. */
export function hostLimitsOf(field: DocumentedField): Array<[string, string, string]> {
  const wanted: readonly string[] = RULES_BY_FIELD[field];
  return HOST_IDS.flatMap((host) =>
    HOST_ADAPTER_FACTORIES[host].profile.limits.filter((l) => wanted.includes(l.rule)).map((l): [string, string, string] => [host, l.rule, l.value]),
  );
}

/**
 * A Markdown list of the hosts' rules on `field`, to end a field description with. Empty when
 * no host states one.
 */
export function hostRulesDoc(field: DocumentedField): string {
  const lines = hostLimitsOf(field).map(([host, rule, value]) => `- ${host}, ${rule}: ${value}`);
  return lines.length ? `\n\nHost rules, as the host adapters state them:\n${lines.join('\n')}` : '';
}
