import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const HOST_MODES = ['sandbox', 'live', 'off'] as const;
export type HostMode = (typeof HOST_MODES)[number];

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1');

// Every setting the gateway reads, validated once at boot (src/config/load-config.ts).
// Names are the environment variable names; `sensitive` ones are never logged.
export class GatewayConfig {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '127.0.0.1';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR: string = './.data';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE: number = 10;

  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN: boolean = true;

  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'GATEWAY_ADMIN_KEY must be at least 24 characters' })
  GATEWAY_ADMIN_KEY?: string;

  // 32 bytes, base64 or hex: encrypts host credentials at rest. Required outside development.
  @ValidateIf((c: GatewayConfig) => c.NODE_ENV === 'production' || c.SECRETS_KEY !== undefined)
  @Matches(/^([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/, { message: 'SECRETS_KEY must be 32 bytes as base64 (44 chars) or hex (64 chars)' })
  SECRETS_KEY?: string;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsIn(['development', 'production', 'test'], { message: 'NODE_ENV must be development, production or test' })
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(HOST_MODES, { message: `HOSTS_MODE must be one of ${HOST_MODES.join(', ')}` })
  HOSTS_MODE: HostMode = 'sandbox';

  /** Apollo landing page and introspection; defaults to on outside production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_PLAYGROUND?: boolean;

  get playgroundEnabled(): boolean {
    return this.GRAPHQL_PLAYGROUND ?? this.NODE_ENV !== 'production';
  }

  get exposeErrorDetails(): boolean {
    return this.NODE_ENV === 'development';
  }
}

export const SENSITIVE_SETTINGS: ReadonlySet<string> = new Set(['GATEWAY_ADMIN_KEY', 'SECRETS_KEY', 'DATABASE_URL']);
