import { Catch, HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_STATUS, GatewayError, type ErrorCode } from './gateway-error.js';

const CODE_BY_STATUS = new Map<number, ErrorCode>(
  (Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>).filter(([code]) => code !== 'QUERY_TOO_COMPLEX').map(([code, status]) => [status, code]),
);

/** The GraphQL error shape for a request refused before GraphQL saw it (the README's promise). */
export function graphqlErrorBody(status: number, message: string) {
  const code = CODE_BY_STATUS.get(status) ?? 'BAD_USER_INPUT';
  return { errors: [{ message, extensions: { code, status } }] };
}

function statusOf(exception: unknown): number | null {
  if (exception instanceof GatewayError) return exception.status;
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : null;
}

/**
 * The one exception filter. In GraphQL it only hands the error on: the error formatter logs
 * and shapes it (Nest would otherwise log every NOT_FOUND at error level with a stack). Over
 * plain HTTP, a 4xx (invalid JSON, body too large, unknown route ...) is answered in the GraphQL
 * error shape with `extensions.code` and logged quietly; anything else is Nest's 500.
 */
@Catch()
export class GatewayExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    // Rethrown, not returned: graphql-js takes a returned value for data unless it is an Error of
    // its own realm, and a thrown one always for an error.
    if (host.getType<string>() === 'graphql') throw exception;
    const status = statusOf(exception);
    if (status !== null && status >= 400 && status < 500) {
      const message = exception instanceof Error ? exception.message : (STATUS_CODES[status] ?? 'Bad request');
      const body = graphqlErrorBody(status, message);
      this.logger.log(`client error ${status} ${body.errors[0].extensions.code}: ${message}`);
      const reply = host.switchToHttp().getResponse<FastifyReply>();
      void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
      return undefined;
    }
    return super.catch(exception, host);
  }
}

/**
 * Fastify's clientErrorHandler: errors Node's HTTP parser raises before any route runs (headers
 * over the size limit, a malformed request line), answered in the GraphQL error shape.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let message = 'Malformed HTTP request';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    message = 'Request headers are too large';
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    message = 'The request was not received in time';
  }
  const body = JSON.stringify(graphqlErrorBody(status, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
