import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { channelKinds, type ChannelKind } from '@carebox/shared'
import { cachedChannel, cachedChannelsByExternalIds } from '../channels/channel-cache.js'
import type { ChannelRow } from '../channels/channels.repository.js'
import { isMetaKind, metaKinds, toRuntime } from '../channels/channel-runtime.js'
import { connectors } from '../channels/connectors.js'
import type { ChannelConfig, WebhookRequest } from '../channels/connector.js'
import { splitMetaWebhook } from '../channels/meta/meta.webhook.js'
import type { AppContext } from '../context.js'
import { AppError } from '../errors.js'
import { finishBatch, storeAndApply, type BatchOutcome } from './apply-batch.js'
import { EnvelopeWriter } from './envelope-writer.js'
import type { Envelope } from './inbound-events.repository.js'
import { parseWebhookJson } from './webhook-body.js'

/** WhatsApp batches can be large: Meta recommends accepting up to 3 MB. */
export const webhookBodyLimit = 3 * 1024 * 1024

const objectKinds: Record<string, ChannelKind> = { page: 'facebook', instagram: 'instagram', whatsapp_business_account: 'whatsapp' }

function webhookRequest(request: FastifyRequest): WebhookRequest {
  const headers: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(',') : value
  return { headers, rawBody: request.body as Buffer }
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Ids that route a Meta delivery: entry ids (Page, Instagram account) and WhatsApp phone_number_ids. */
function metaRoutingIds(body: unknown): string[] {
  const ids = new Set<string>()
  const entries = (body as { entry?: unknown } | null)?.entry
  if (!Array.isArray(entries)) return []
  for (const entry of entries) {
    if (typeof entry?.id === 'string') ids.add(entry.id)
    for (const change of Array.isArray(entry?.changes) ? entry.changes : []) {
      const phoneNumberId = change?.value?.metadata?.phone_number_id
      if (typeof phoneNumberId === 'string') ids.add(phoneNumberId)
    }
  }
  return [...ids].slice(0, 1000)
}

export function ingestRoutes(ctx: AppContext) {
  const applyInline = async (envelopes: Envelope[]): Promise<boolean> => {
    let outcome: BatchOutcome | null
    try {
      outcome = await storeAndApply(ctx, envelopes)
    } catch (error) {
      // Nothing of the batch was kept: the writer stores it for the ingest job, which retries it.
      ctx.metrics.ingestInlineFallbacks.inc()
      ctx.log.warn({ err: error, envelopes: envelopes.length }, 'applying webhook deliveries at once failed; queued for the worker')
      throw error
    }
    if (!outcome) return false
    // Committed: what follows outside the database failing must not store the deliveries a second time.
    await finishBatch(ctx, outcome).catch((error: unknown) => ctx.log.warn({ err: error }, 'after applying webhook deliveries'))
    return true
  }
  const writer = new EnvelopeWriter(ctx.db, ctx.config.ingestApply === 'inline' ? applyInline : undefined)
  return async function (fastify: FastifyInstance) {
    fastify.addHook('onClose', () => writer.idle())
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    // Signatures are computed over the exact bytes sent: keep them, and parse JSON only after verifying.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: webhookBodyLimit }, (_request, body, done) => done(null, body))

    app.get('/webhooks/meta', { schema: { hide: true } }, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>
      const token = query['hub.verify_token'] ?? ''
      const channels = await ctx.db
        .selectFrom('channels')
        .selectAll()
        .where('kind', 'in', [...metaKinds])
        .execute()
      const channel = channels.find((c) => sameString(c.verifyToken, token))
      if (!channel) throw new AppError('forbidden', 'Unknown verify token')
      const answer = connectors[channel.kind as 'facebook'].handshake?.(query, toRuntime(ctx, channel))
      if (!answer) throw new AppError('forbidden', 'Handshake refused')
      return reply
        .code(answer.status)
        .type(typeof answer.body === 'string' ? 'text/plain' : 'application/json')
        .send(answer.body)
    })

    app.post('/webhooks/meta', { bodyLimit: webhookBodyLimit, schema: { hide: true } }, async (request, reply) => {
      const body = parseWebhookJson(request.body as Buffer)
      const routingIds = metaRoutingIds(body)
      const channels = await cachedChannelsByExternalIds(ctx, metaKinds, routingIds)
      // Without a known channel we hold no secret to check the signature with, so we store nothing.
      if (channels.length === 0) throw new AppError('not_found', 'No channel matches this delivery')
      const raw = webhookRequest(request)
      const signedFor = channels.filter((c) => connectors[c.row.kind as ChannelKind].verifyWebhook(raw, c.runtime)).map((c) => c.row)
      if (signedFor.length === 0) throw new AppError('unauthorized', 'Invalid signature')

      const byRoute = new Map(signedFor.map((c) => [`${c.kind}:${c.externalId}`, c]))
      // A WhatsApp account-level change (a template's status) names the business account: the first enabled
      // channel of that account takes it (templates belong to the account, whichever number it came through).
      for (const c of signedFor) {
        const account = (c.config as { businessAccountId?: string }).businessAccountId
        if (c.kind === 'whatsapp' && account && c.enabled && !byRoute.has(`whatsapp:${account}`)) byRoute.set(`whatsapp:${account}`, c)
      }
      const envelopes: Envelope[] = []
      let parts: ReturnType<typeof splitMetaWebhook>
      try {
        parts = splitMetaWebhook(body)
      } catch (error) {
        // Signed by Meta but of a shape we do not know: keep it as a dead letter for a person to look at.
        const channel = signedFor[0] as ChannelRow
        envelopes.push({ channelId: channel.id, dedupeKey: `unsupported:${connectors.facebook.dedupeKey(body, raw.rawBody)}`, payload: body })
        parts = []
        ctx.log.warn({ err: error, channelId: channel.id }, 'unsupported Meta webhook stored for review')
      }
      for (const part of parts) {
        const kind = objectKinds[part.object]
        const channel = kind ? byRoute.get(`${kind}:${part.routingId}`) : undefined
        if (!channel || !channel.enabled) continue
        const dedupeKey = connectors[channel.kind as ChannelKind].dedupeKey(part.payload, raw.rawBody)
        envelopes.push({ channelId: channel.id, dedupeKey, payload: part.payload })
      }
      if (envelopes.length === 0 && signedFor.every((c) => !c.enabled)) throw new AppError('forbidden', 'This channel is disabled')
      await writer.write(envelopes)
      return reply.code(200).send({ ok: true })
    })

    const channelParams = Type.Object({ kind: Type.Union(channelKinds.map((k) => Type.Literal(k))), channelId: Type.String({ format: 'uuid' }) })

    async function channelFor(params: { kind: string; channelId: string }) {
      const channel = await cachedChannel(ctx, params.channelId)
      if (!channel || channel.row.kind !== params.kind || isMetaKind(channel.row.kind)) throw new AppError('not_found', 'No such channel')
      return channel
    }

    app.get('/webhooks/:kind/:channelId', { schema: { params: channelParams, hide: true } }, async (request, reply) => {
      const { row, runtime } = await channelFor(request.params)
      const handshake = connectors[row.kind as ChannelKind].handshake
      if (!handshake) throw new AppError('not_found', 'This platform has no webhook handshake')
      const answer = handshake(request.query as Record<string, string | undefined>, runtime)
      return reply.code(answer.status).send(answer.body)
    })

    app.post('/webhooks/:kind/:channelId', { bodyLimit: webhookBodyLimit, schema: { params: channelParams, hide: true } }, async (request, reply) => {
      const { row: channel, runtime } = await channelFor(request.params)
      const connector = connectors[channel.kind as ChannelKind]
      const raw = webhookRequest(request)
      if (!connector.verifyWebhook(raw, runtime)) throw new AppError('unauthorized', 'Invalid signature')
      if (!channel.enabled) throw new AppError('forbidden', 'This channel is disabled')
      if ((channel.config as unknown as ChannelConfig).mode !== 'webhook') throw new AppError('conflict', 'This channel polls; it takes no webhooks')
      const body = parseWebhookJson(raw.rawBody)
      await writer.write([{ channelId: channel.id, dedupeKey: connector.dedupeKey(body, raw.rawBody), payload: body }])
      return reply.code(200).send({ ok: true })
    })
  }
}
