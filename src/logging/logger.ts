import type { LoggerService } from '@nestjs/common';
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

// Anything that may carry a secret is removed before a line is written.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.password',
  '*.secret',
  '*.privateKey',
  '*.plainKey',
  '*.credentials',
];

// Fields of a database error that carry user data or key hashes: the bound parameters, and
// PostgreSQL's detail/where lines ("Key (slug)=(...) already exists").
const DATA_FIELDS = new Set(['parameters', 'params', 'values', 'detail', 'where', 'internalQuery', 'hint']);

function scrub(value: unknown, depth: number): unknown {
  if (depth > 4 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!DATA_FIELDS.has(key)) out[key] = scrub(v, depth + 1);
  }
  return out;
}

/** pino's error serializer (type, message, stack, own fields) without the fields that carry data. */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return scrub(stdSerializers.err(err), 0);
}

export function createRootLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: 'mp-gateway' },
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Nest's logger interface on top of the same pino instance, so every line is JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    if (message instanceof Error) this.logger.error({ context, err: message }, message.message);
    else this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
