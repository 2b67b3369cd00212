import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { GatewayConfig, OPTIONAL_SETTINGS } from './gateway-config.js';

/** A setting is missing or malformed; the message is one line naming the setting. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const KNOWN = new Set([...Object.keys(new GatewayConfig()), ...OPTIONAL_SETTINGS]);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  // Only our own settings are read; empty strings count as unset.
  const plain: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = env[key];
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const config = plainToInstance(GatewayConfig, plain, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    const first = errors[0];
    const message = Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid`;
    const more =
      errors.length > 1
        ? ` (and ${errors.length - 1} more: ${errors
            .slice(1)
            .map((e) => e.property)
            .join(', ')})`
        : '';
    throw new ConfigError(`Invalid setting ${first.property}: ${message}${more}`);
  }
  return config;
}
