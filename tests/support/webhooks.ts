import { createHmac } from 'node:crypto'
import type { FastifyInstance } from 'fastify'

/** Serialises like Meta does: non-ASCII escaped as \uXXXX, so the signed bytes are pure ASCII. */
export function metaBytes(body: unknown): Buffer {
  return Buffer.from(JSON.stringify(body).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
}

export function metaSignature(raw: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`
}

export function postMeta(app: FastifyInstance, raw: Buffer, signature?: string) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/meta',
    headers: { 'content-type': 'application/json', ...(signature !== undefined && { 'x-hub-signature-256': signature }) },
    payload: raw,
  })
}
