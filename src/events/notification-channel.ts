/**
 * A typed PostgreSQL NOTIFY channel: its name and how its JSON payload is checked on arrival.
 * Payloads travel as JSON text (PostgreSQL limits them to 8000 bytes): send ids, not rows.
 */
export interface NotificationChannel<T> {
  readonly name: string;
  /** Returns the payload, or throws when the text is not a payload of this channel. */
  parse(payload: unknown): T;
}

const CHANNEL_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export function defineChannel<T>(name: string, parse: (payload: unknown) => T): NotificationChannel<T> {
  // Names are quoted into LISTEN statements, so only plain identifiers are accepted.
  if (!CHANNEL_NAME.test(name)) throw new Error(`invalid notification channel name: ${name}`);
  return { name, parse };
}
