import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RawCallback } from '../../adapters/core/index.js';
import { InboxService } from './inbox.service.js';

/**
 * The hosts' push endpoints: `POST /hosts/<host>/callbacks`, and for WeChat's message URL the
 * form with the authorizer app id the host substitutes for `$APPID$`
 * (`/hosts/wechat/callbacks/<appid>`). The answer is the one each host expects (`success` ...),
 * sent only once the push is stored.
 */
@Controller('hosts')
export class CallbacksController {
  constructor(private readonly inbox: InboxService) {}

  @Post(':host/callbacks')
  @HttpCode(200)
  receive(@Param('host') host: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(host, req, reply);
  }

  @Post(':host/callbacks/:appId')
  @HttpCode(200)
  receiveForApp(@Param('host') host: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.handle(host, req, reply);
  }

  private async handle(host: string, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const url = new URL(req.url, 'http://gateway');
    const raw: RawCallback = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])),
      body: bodyText(req),
    };
    const answer = await this.inbox.receive(host, raw);
    await reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
  }
}

/** The body exactly as received: the raw bytes kept by the parsers (signatures cover them). */
function bodyText(req: FastifyRequest): string {
  const raw = (req as FastifyRequest & { rawBody?: Buffer | string }).rawBody;
  if (raw !== undefined) return Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
  if (typeof req.body === 'string') return req.body;
  if (Buffer.isBuffer(req.body)) return req.body.toString('utf8');
  return req.body === undefined || req.body === null ? '' : JSON.stringify(req.body);
}
