import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { Vault } from '../vault/vault.js';
import { backoffMs } from './webhook-backoff.js';
import { WebhookSender, type AttemptOutcome } from './webhook-sender.js';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature.js';
import { secretAad } from './webhooks.service.js';

interface DueDelivery {
  id: string;
  endpoint_id: string;
  mini_program_id: string;
  event_seq: string;
  event_tx_id: string;
  created_at: Date;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  first_attempt_at: Date | null;
  url: string;
  enabled: boolean;
  secret_ciphertext: string;
  secret_key_id: string;
  horizon: string;
}

/**
 * Attempts one webhook delivery. A job only names the delivery; the row decides: nothing is sent
 * unless it is pending and due, its endpoint enabled, every older transaction ended (the feed's
 * visibility rule, so no earlier event of the listing can still appear) and no earlier delivery
 * of the same listing to the same endpoint is pending. When a delivery ends (delivered or given
 * up) it queues the next one of its listing.
 */
@Injectable()
export class WebhookDeliveryJob implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private sender: WebhookSender | null = null;

  constructor(
    private readonly jobs: JobsService,
    private readonly vault: Vault,
    private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register(QUEUES.webhookDelivery, (data) => this.handle(data.deliveryId));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender?.close();
  }

  private get http(): WebhookSender {
    return (this.sender ??= new WebhookSender({
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: this.config.WEBHOOK_MAX_RESPONSE_BYTES,
      allowPrivate: this.config.WEBHOOKS_ALLOW_PRIVATE,
    }));
  }

  async handle(deliveryId: string): Promise<void> {
    const runner = this.jobs.workerDb.createQueryRunner();
    await runner.connect();
    const lockKey = `webhook-delivery:${deliveryId}`;
    try {
      // One attempt of a delivery at a time, whatever number of jobs name it.
      const [{ ok }] = (await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [lockKey])) as Array<{ ok: boolean }>;
      if (!ok) return;
      try {
        await this.attemptIfDue(runner, deliveryId);
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
      }
    } finally {
      await runner.release();
    }
  }

  private async attemptIfDue(runner: QueryRunner, deliveryId: string): Promise<void> {
    const rows = (await runner.query(
      `SELECT d.id, d.endpoint_id, d.mini_program_id, d.event_seq::text, d.event_tx_id::text, d.created_at, d.body, d.status, d.attempts,
              d.next_attempt_at, d.first_attempt_at, e.url, e.enabled, e.secret_ciphertext, e.secret_key_id,
              pg_snapshot_xmin(pg_current_snapshot())::text AS horizon
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1`,
      [deliveryId],
    )) as DueDelivery[];
    const d = rows[0];
    // Done, deleted with its endpoint, or paused until enableWebhookEndpoint queues it again.
    if (!d || d.status !== 'PENDING' || !d.enabled) return;
    if (d.next_attempt_at && d.next_attempt_at.getTime() > Date.now()) return this.requeue(runner.manager, d.id, d.next_attempt_at);
    // An older transaction still in flight may yet write an earlier event of this listing.
    if (BigInt(d.event_tx_id) >= BigInt(d.horizon)) return this.requeue(runner.manager, d.id, new Date(Date.now() + 200));
    const earlier = (await runner.query(
      `SELECT 1 FROM webhook_deliveries
        WHERE endpoint_id = $1 AND mini_program_id = $2 AND status = 'PENDING'
          AND (event_tx_id, event_seq, created_at, id) < ($3::bigint, $4::bigint, $5::timestamptz, $6::uuid) LIMIT 1`,
      [d.endpoint_id, d.mini_program_id, d.event_tx_id, d.event_seq, d.created_at, d.id],
    )) as unknown[];
    // Its turn comes when the earlier one ends (that one queues the next).
    if (earlier.length > 0) return;

    const secret = this.vault.open({ ciphertext: d.secret_ciphertext, keyId: d.secret_key_id }, secretAad(d.endpoint_id));
    const startedAt = new Date();
    const outcome = await this.http.post(
      d.url,
      {
        [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(startedAt.getTime() / 1000), d.body),
        'x-gateway-delivery': d.id,
        'x-gateway-event': d.event_seq,
      },
      d.body,
    );
    await runner.startTransaction();
    try {
      await this.record(runner.manager, d, startedAt, outcome);
      await runner.commitTransaction();
    } catch (err) {
      await runner.rollbackTransaction();
      throw err;
    }
  }

  private async record(m: EntityManager, d: DueDelivery, startedAt: Date, outcome: AttemptOutcome): Promise<void> {
    const firstAttemptAt = d.first_attempt_at ?? startedAt;
    const attempts = d.attempts + 1;
    if (outcome.ok) {
      await m.query(
        `UPDATE webhook_deliveries SET status = 'SUCCEEDED', attempts = $2, first_attempt_at = $3, last_attempt_at = $4, response_code = $5,
                latency_ms = $6, last_error = NULL, next_attempt_at = NULL, completed_at = now() WHERE id = $1`,
        [d.id, attempts, firstAttemptAt, startedAt, outcome.status, outcome.latencyMs],
      );
      await m.query('UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0', [d.endpoint_id]);
      return this.queueNext(m, d);
    }
    const delay = backoffMs(attempts, this.config.WEBHOOK_RETRY_BASE_MS, this.config.WEBHOOK_RETRY_MAX_MS);
    const next = new Date(Date.now() + delay);
    const givenUp = next.getTime() > firstAttemptAt.getTime() + this.config.WEBHOOK_RETRY_WINDOW_MS;
    await m.query(
      `UPDATE webhook_deliveries SET status = $2, attempts = $3, first_attempt_at = $4, last_attempt_at = $5, response_code = $6,
              latency_ms = $7, last_error = $8, next_attempt_at = $9, completed_at = CASE WHEN $10::boolean THEN now() END WHERE id = $1`,
      [
        d.id,
        givenUp ? 'FAILED' : 'PENDING',
        attempts,
        firstAttemptAt,
        startedAt,
        outcome.status,
        outcome.latencyMs,
        outcome.error,
        givenUp ? null : next,
        givenUp,
      ],
    );
    const [endpoint] = await m.query<[Array<{ consecutive_failures: number; enabled: boolean }>, number]>(
      `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = $1 RETURNING consecutive_failures, enabled`,
      [d.endpoint_id],
    );
    const [{ consecutive_failures: failures, enabled }] = endpoint;
    let stillEnabled = enabled;
    if (enabled && failures >= this.config.WEBHOOK_DISABLE_AFTER_FAILURES) {
      const reason = `Disabled after ${failures} failed attempts in a row (WEBHOOK_DISABLE_AFTER_FAILURES); the last, delivery ${d.id} at ${startedAt.toISOString()}: ${outcome.error}`;
      await m.query('UPDATE webhook_endpoints SET enabled = false, disabled_at = now(), disabled_reason = $2, updated_at = now() WHERE id = $1', [
        d.endpoint_id,
        reason,
      ]);
      this.logger.warn(`webhook endpoint ${d.endpoint_id} disabled after ${failures} failed attempts in a row`);
      stillEnabled = false;
    }
    if (givenUp) return this.queueNext(m, d);
    if (stillEnabled) await this.jobs.send(QUEUES.webhookDelivery, { deliveryId: d.id }, { manager: m, startAfter: next });
  }

  private async queueNext(m: EntityManager, d: DueDelivery): Promise<void> {
    const next = await m.query<Array<{ id: string }>>(
      `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND mini_program_id = $2 AND status = 'PENDING'
        ORDER BY event_tx_id, event_seq, created_at, id LIMIT 1`,
      [d.endpoint_id, d.mini_program_id],
    );
    if (next[0]) await this.jobs.send(QUEUES.webhookDelivery, { deliveryId: next[0].id }, { manager: m });
  }

  private async requeue(m: EntityManager, deliveryId: string, at: Date): Promise<void> {
    await this.jobs.send(QUEUES.webhookDelivery, { deliveryId }, { manager: m, startAfter: at });
  }
}
