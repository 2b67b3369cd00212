import pg from 'pg';

/**
 * Records the SQL every pg client in this process sends (the app under test runs in the jest
 * process), so a test can count the statements one request costs. Filter by text: the app's
 * background work (notification heartbeats, key-use flushes) is recorded too.
 */
export class SqlRecorder {
  readonly statements: string[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, never called unbound
  private readonly original = pg.Client.prototype.query;

  static start(): SqlRecorder {
    return new SqlRecorder().install();
  }

  private install(): this {
    const statements = this.statements;
    const original = this.original as (...args: unknown[]) => unknown;
    (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function recordingQuery(this: pg.Client, ...args: unknown[]) {
      const first = args[0];
      statements.push(typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? ''));
      return original.apply(this, args);
    };
    return this;
  }

  /** Statements recorded so far that match `pattern`. */
  matching(pattern: RegExp): string[] {
    return this.statements.filter((s) => pattern.test(s));
  }

  stop(): void {
    pg.Client.prototype.query = this.original;
  }
}
