import type { FastifyInstance } from 'fastify'
import { metaJson, signMeta } from '../../server/src/simulator/signatures.js'

/** The bytes Meta would send for a body (non-ASCII escaped as \uXXXX), as the simulator makes them. */
export function metaBytes(body: unknown): Buffer {
  return Buffer.from(metaJson(body))
}

export const metaSignature = signMeta

export function postMeta(app: FastifyInstance, raw: Buffer, signature?: string) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/meta',
    headers: { 'content-type': 'application/json', ...(signature !== undefined && { 'x-hub-signature-256': signature }) },
    payload: raw,
  })
}
