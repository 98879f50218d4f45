import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How receivers know a webhook call is SDO's and fresh: `sdo-signature: v1=<hex>` where hex is
 * HMAC-SHA256, keyed with the subscription's secret, over `<sdo-timestamp>.<raw body>`. Binding
 * the timestamp into the MAC lets receivers refuse replays older than a few minutes.
 */
export const WEBHOOK_SIGNATURE_VERSION = 'v1';
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `${WEBHOOK_SIGNATURE_VERSION}=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export type WebhookVerification = { valid: true } | { valid: false; reason: string };

/** What a receiver does with a call: the signature must match the raw body and the timestamp must be recent. */
export function verifyWebhook(options: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): WebhookVerification {
  const timestamp = Number(options.timestamp);
  if (!options.timestamp || !/^\d{1,12}$/.test(options.timestamp)) return { valid: false, reason: 'missing or malformed timestamp' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS))
    return { valid: false, reason: 'timestamp outside the tolerance (replay?)' };
  const expected = Buffer.from(signWebhook(options.secret, timestamp, options.body));
  // A header may list several signatures (e.g. while a secret is rotated): any may match.
  const given = (options.signature ?? '').split(/[\s,]+/).filter(Boolean);
  const match = given.some((s) => {
    const candidate = Buffer.from(s);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
  return match ? { valid: true } : { valid: false, reason: 'signature does not match' };
}
