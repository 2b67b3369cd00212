import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsJSON,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const HOST_MODES = ['sandbox', 'live', 'off'] as const;
export type HostMode = (typeof HOST_MODES)[number];

export const SANDBOX_OUTCOMES = ['approve', 'reject', 'hold'] as const;
const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/** The operator key the README shows; refused in production. */
export const EXAMPLE_OPERATOR_KEY = 'local-operator-key-change-me';

// Settings are read as text: a whole number is digits only ('1e3', ' 8', '0x10' are refused),
// a switch is exactly true/false/1/0. Anything else stays as text so validation names it.
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  return value;
};

/** A whole-number setting from min to max, with one message for every way it can be wrong. */
function WholeNumber(name: string, min: number, max: number, unit = ''): PropertyDecorator {
  const message = `${name} must be a whole number from ${min} to ${max}${unit}`;
  return (target, key) => {
    Transform(toInt)(target, key);
    IsInt({ message })(target, key);
    Min(min, { message })(target, key);
    Max(max, { message })(target, key);
  };
}

function Switch(name: string): PropertyDecorator {
  return (target, key) => {
    Transform(toBool)(target, key);
    IsBoolean({ message: `${name} must be true, false, 1 or 0` })(target, key);
  };
}

// Every setting the gateway reads, validated once at boot (src/config/load-config.ts).
// Names are the environment variable names; `sensitive` ones are never logged.
export class GatewayConfig {
  @WholeNumber('PORT', 0, 65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '127.0.0.1';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR: string = './.data';

  @WholeNumber('DATABASE_POOL_SIZE', 1, 100)
  DATABASE_POOL_SIZE: number = 10;

  @Switch('MIGRATIONS_RUN')
  MIGRATIONS_RUN: boolean = true;

  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'GATEWAY_ADMIN_KEY must be at least 24 characters' })
  @ValidateBy({
    name: 'notExampleKeyInProduction',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => !((args?.object as GatewayConfig).NODE_ENV === 'production' && value === EXAMPLE_OPERATOR_KEY),
      defaultMessage: () => "GATEWAY_ADMIN_KEY is the README's example key, which is refused when NODE_ENV=production: choose your own",
    },
  })
  GATEWAY_ADMIN_KEY?: string;

  // 32 bytes, base64 or hex: encrypts host credentials at rest. Required outside development.
  @ValidateIf((c: GatewayConfig) => c.NODE_ENV === 'production' || c.SECRETS_KEY !== undefined)
  @Matches(/^([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/, {
    message: ({ value }) =>
      value === undefined
        ? 'SECRETS_KEY is required when NODE_ENV=production: 32 bytes as base64 (44 chars) or hex (64 chars)'
        : 'SECRETS_KEY must be 32 bytes as base64 (44 chars) or hex (64 chars)',
  })
  SECRETS_KEY?: string;

  // Earlier keys, comma-separated: still read so ciphertexts written with them open until
  // `npm run secrets:rotate` has re-encrypted every row with SECRETS_KEY.
  @IsOptional()
  @Matches(/^([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})(,([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64}))*$/, {
    message: 'SECRETS_KEY_PREVIOUS must be comma-separated 32-byte keys (base64 or hex)',
  })
  SECRETS_KEY_PREVIOUS?: string;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsIn(['development', 'production', 'test'], { message: 'NODE_ENV must be development, production or test' })
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(HOST_MODES, { message: `HOSTS_MODE must be one of ${HOST_MODES.join(', ')}` })
  HOSTS_MODE: HostMode = 'sandbox';

  // --- hosts: where adapters call, and the standalone sandboxes ---
  @IsOptional() @IsUrl(HTTP_URL, { message: 'WECHAT_BASE_URL must be an http(s) URL' }) WECHAT_BASE_URL?: string;
  @IsOptional() @IsUrl(HTTP_URL, { message: 'ALIPAY_BASE_URL must be an http(s) URL' }) ALIPAY_BASE_URL?: string;
  @IsOptional() @IsUrl(HTTP_URL, { message: 'BAIDU_BASE_URL must be an http(s) URL' }) BAIDU_BASE_URL?: string;
  @IsOptional() @IsUrl(HTTP_URL, { message: 'BYTEDANCE_BASE_URL must be an http(s) URL' }) BYTEDANCE_BASE_URL?: string;

  /** Admin URL of sandboxes started by `npm run sandboxes`; in sandbox mode the gateway then starts none of its own. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'SANDBOX_URL must be an http(s) URL' })
  SANDBOX_URL?: string;

  /** Platform push secrets per host in live mode, as JSON: {"WECHAT": {"componentAppId": ..., "token": ..., "encodingAesKey": ...}, ...}. */
  @IsOptional()
  @IsJSON({ message: 'HOST_CALLBACK_SECRETS must be a JSON object' })
  HOST_CALLBACK_SECRETS?: string;

  /** Base URL the hosts push to (this gateway as the hosts reach it); defaults to the address it listens on. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  @WholeNumber('HOST_TIMEOUT_MS', 100, 120_000) HOST_TIMEOUT_MS: number = 10_000;

  /** How the in-process sandboxes end reviews of apps made by createSandboxApp. */
  @WholeNumber('SANDBOX_REVIEW_DELAY_MS', 0, 3_600_000) SANDBOX_REVIEW_DELAY_MS: number = 3_000;
  @IsIn(SANDBOX_OUTCOMES, { message: `SANDBOX_REVIEW_OUTCOME must be one of ${SANDBOX_OUTCOMES.join(', ')}` })
  SANDBOX_REVIEW_OUTCOME: (typeof SANDBOX_OUTCOMES)[number] = 'approve';

  // --- publishing workers ---
  /** Run the publishing workers in this process (the gateway does by default; `npm run worker` always does). */
  @Switch('WORKERS') WORKERS: boolean = true;
  @WholeNumber('WORKER_CONCURRENCY', 1, 64) WORKER_CONCURRENCY: number = 4;
  /** How often an idle worker looks for due jobs (pg-boss polling; new jobs also wake it at once). */
  @WholeNumber('WORKER_POLL_INTERVAL_MS', 500, 60_000) WORKER_POLL_INTERVAL_MS: number = 1_000;
  /** Backoff of retryable host errors: base doubles per attempt up to the cap, with jitter. */
  @WholeNumber('RETRY_BASE_MS', 10, 3_600_000) RETRY_BASE_MS: number = 1_000;
  @WholeNumber('RETRY_MAX_MS', 10, 86_400_000) RETRY_MAX_MS: number = 300_000;
  /** Attempts of one step before the submission ends FAILED with the last host error. */
  @WholeNumber('MAX_ATTEMPTS', 1, 1_000) MAX_ATTEMPTS: number = 20;
  /** Wait after a quota error whose host gives no window. */
  @WholeNumber('QUOTA_RETRY_MS', 10, 86_400_000) QUOTA_RETRY_MS: number = 60_000;

  // --- sync ---
  /** Polling of submissions waiting on a host: starts at MIN, doubles per unchanged poll up to MAX. */
  @WholeNumber('SYNC_POLL_MIN_MS', 50, 3_600_000) SYNC_POLL_MIN_MS: number = 2_000;
  @WholeNumber('SYNC_POLL_MAX_MS', 50, 86_400_000) SYNC_POLL_MAX_MS: number = 300_000;
  /** How often a worker process looks for work whose job was lost (a killed worker) and queues it again. */
  @WholeNumber('SYNC_SWEEP_INTERVAL_MS', 100, 3_600_000) SYNC_SWEEP_INTERVAL_MS: number = 5_000;
  /** After our own release, gray change or rollback, how long the host may take to show it before a mismatch is drift. */
  @WholeNumber('DRIFT_SETTLE_MS', 0, 86_400_000) DRIFT_SETTLE_MS: number = 600_000;

  // --- listing sync ---
  /** Icons fetched for listing sync: at most this many bytes, within this time. */
  @WholeNumber('ICON_FETCH_MAX_BYTES', 1_024, 20_971_520) ICON_FETCH_MAX_BYTES: number = 5_242_880;
  @WholeNumber('ICON_FETCH_TIMEOUT_MS', 100, 120_000) ICON_FETCH_TIMEOUT_MS: number = 10_000;
  /** Lets icon URLs point at loopback and private addresses (off: such URLs are refused, against SSRF). */
  @Switch('ICON_FETCH_ALLOW_PRIVATE') ICON_FETCH_ALLOW_PRIVATE: boolean = false;
  // --- the live feed (src/feed-live) ---
  /**
   * How often subscriptions look for new events when no notification arrived: an event becomes
   * visible only once every older transaction has ended, and an unrelated transaction ending
   * sends no notification.
   */
  @WholeNumber('SUBSCRIPTION_POLL_MS', 50, 60_000) SUBSCRIPTION_POLL_MS: number = 1_000;
  /** Subscriptions one WebSocket connection may hold at once. */
  @WholeNumber('SUBSCRIPTIONS_PER_CONNECTION', 1, 1_000) SUBSCRIPTIONS_PER_CONNECTION: number = 20;

  // --- webhooks (src/webhooks) ---
  /** Allow webhook URLs on loopback, private, link-local and other non-public addresses (tests, closed networks). */
  @Switch('WEBHOOKS_ALLOW_PRIVATE') WEBHOOKS_ALLOW_PRIVATE: boolean = false;
  /** Deadline of one webhook call: connect, send, and read the answer. */
  @WholeNumber('WEBHOOK_TIMEOUT_MS', 100, 120_000) WEBHOOK_TIMEOUT_MS: number = 10_000;
  /** How much of a webhook answer is read (and kept in the delivery log, 1 KiB of it); a longer answer is cut there. */
  @WholeNumber('WEBHOOK_MAX_RESPONSE_BYTES', 0, 10_485_760) WEBHOOK_MAX_RESPONSE_BYTES: number = 65_536;
  /** Backoff between attempts of one delivery: base doubles per attempt up to the cap, with jitter. */
  @WholeNumber('WEBHOOK_RETRY_BASE_MS', 10, 3_600_000) WEBHOOK_RETRY_BASE_MS: number = 30_000;
  @WholeNumber('WEBHOOK_RETRY_MAX_MS', 10, 86_400_000) WEBHOOK_RETRY_MAX_MS: number = 3_600_000;
  /** How long a delivery is retried, from its first attempt, before it is given up. */
  @WholeNumber('WEBHOOK_RETRY_WINDOW_MS', 1_000, 604_800_000) WEBHOOK_RETRY_WINDOW_MS: number = 86_400_000;
  /** Failed attempts in a row (across the endpoint's deliveries) that disable an endpoint. */
  @WholeNumber('WEBHOOK_DISABLE_AFTER_FAILURES', 1, 100_000) WEBHOOK_DISABLE_AFTER_FAILURES: number = 50;

  /** Apollo landing page, introspection and "Did you mean" suggestions; defaults to on outside production. */
  @IsOptional()
  @Switch('GRAPHQL_PLAYGROUND')
  GRAPHQL_PLAYGROUND?: boolean;

  // Query limits (src/limits): checked before any resolver runs.
  /** Budget per operation: each field costs 1, a page field 1 + first x what is selected inside it. */
  @WholeNumber('QUERY_MAX_COST', 1, 10_000_000)
  QUERY_MAX_COST: number = 5000;

  @WholeNumber('QUERY_MAX_DEPTH', 1, 100)
  QUERY_MAX_DEPTH: number = 12;

  @WholeNumber('QUERY_MAX_ALIASES', 0, 1000)
  QUERY_MAX_ALIASES: number = 20;

  /**
   * Lexical tokens per document, counted while parsing (names, punctuation, values). Also what
   * bounds nesting while parsing: at most 3000, so no document can nest deep enough to overflow
   * the parser's stack.
   */
  @WholeNumber('QUERY_MAX_TOKENS', 100, 3000)
  QUERY_MAX_TOKENS: number = 2000;

  /** GraphQL operations per API key (or per client address without a valid key) per window; 0 turns the limit off. */
  @WholeNumber('RATE_LIMIT_REQUESTS', 0, 1_000_000)
  RATE_LIMIT_REQUESTS: number = 1200;

  @WholeNumber('RATE_LIMIT_WINDOW_SECONDS', 1, 86_400)
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** Deadline of one request, and the longest one SQL statement may run. */
  @WholeNumber('REQUEST_TIMEOUT_MS', 100, 600_000)
  REQUEST_TIMEOUT_MS: number = 30_000;

  get playgroundEnabled(): boolean {
    return this.GRAPHQL_PLAYGROUND ?? this.NODE_ENV !== 'production';
  }

  get exposeErrorDetails(): boolean {
    return this.NODE_ENV === 'development';
  }
}

export const SENSITIVE_SETTINGS: ReadonlySet<string> = new Set([
  'GATEWAY_ADMIN_KEY',
  'SECRETS_KEY',
  'SECRETS_KEY_PREVIOUS',
  'DATABASE_URL',
  'HOST_CALLBACK_SECRETS',
]);

/** Settings without a default (absent from `new GatewayConfig()`), read all the same. */
export const OPTIONAL_SETTINGS = [
  'DATABASE_URL',
  'GATEWAY_ADMIN_KEY',
  'SECRETS_KEY',
  'SECRETS_KEY_PREVIOUS',
  'GRAPHQL_PLAYGROUND',
  'WECHAT_BASE_URL',
  'ALIPAY_BASE_URL',
  'BAIDU_BASE_URL',
  'BYTEDANCE_BASE_URL',
  'SANDBOX_URL',
  'HOST_CALLBACK_SECRETS',
  'PUBLIC_URL',
] as const;
