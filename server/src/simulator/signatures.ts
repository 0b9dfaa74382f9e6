import { createHmac } from 'node:crypto'

/**
 * Meta's JSON: non-ASCII escaped as \uXXXX (surrogate pairs stay two escapes), so the signed bytes differ from
 * what JSON.stringify of the parsed body gives. Receivers must verify the raw bytes, and this makes them.
 * https://developers.facebook.com/docs/messenger-platform/webhooks#validate-payloads
 */
export function metaJson(body: unknown): string {
  return JSON.stringify(body).replace(/[\u007f-\uffff]/g, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'))
}

/** X-Hub-Signature-256: 'sha256=' + lowercase hex HMAC-SHA256 of the raw body with the app secret. */
export function signMeta(rawBody: string | Buffer, appSecret: string): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(rawBody).digest('hex')
}

/** The legacy X-Hub-Signature header Meta still sends alongside; receivers should ignore it. */
export function signMetaSha1(rawBody: string | Buffer, appSecret: string): string {
  return 'sha1=' + createHmac('sha1', appSecret).update(rawBody).digest('hex')
}

/** x-twitter-webhooks-signature: 'sha256=' + base64 HMAC-SHA256 of the raw body with the consumer secret. */
export function signX(rawBody: string | Buffer, consumerSecret: string): string {
  return 'sha256=' + createHmac('sha256', consumerSecret).update(rawBody).digest('base64')
}

/** The response_token a webhook must answer an X CRC check with. */
export function xCrcResponseToken(crcToken: string, consumerSecret: string): string {
  return signX(crcToken, consumerSecret)
}
