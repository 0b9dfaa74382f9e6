import { ChannelKind } from '@carebox/shared'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { ChoiceRefusedError } from './choices.js'
import { startDemoTraffic, seededRandom, type DemoTraffic } from './demo.js'
import { demoPhoto } from './photos.js'
import type { Simulator } from './simulator.js'
import { templateStatusByEvent } from './templates.js'
import type { TemplateStatusEvent } from './types.js'

/** A small HTTP control surface for demos and browser tests: /_sim/… */

const Secrets = Type.Object({
  appSecret: Type.Optional(Type.String()),
  accessToken: Type.Optional(Type.String()),
  botToken: Type.Optional(Type.String()),
  webhookSecret: Type.Optional(Type.String()),
  consumerSecret: Type.Optional(Type.String()),
  identifier: Type.Optional(Type.String()),
  appPassword: Type.Optional(Type.String()),
})

const Template = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }),
  name: Type.String({ minLength: 1 }),
  language: Type.String({ minLength: 1 }),
  status: Type.String(),
  category: Type.String(),
  parameter_format: Type.Optional(Type.Union([Type.Literal('POSITIONAL'), Type.Literal('NAMED')])),
  components: Type.Array(Type.Unknown()),
  rejected_reason: Type.Optional(Type.String()),
  quality_score: Type.Optional(Type.Object({ score: Type.String() })),
})

const Account = Type.Object({
  kind: ChannelKind,
  externalId: Type.String({ minLength: 1 }),
  secrets: Secrets,
  webhookUrl: Type.Optional(Type.String()),
  handle: Type.Optional(Type.String()),
  businessAccountId: Type.Optional(Type.String()),
  displayPhoneNumber: Type.Optional(Type.String()),
  templates: Type.Optional(Type.Array(Template)),
})

const Fault = Type.Object({
  kind: Type.Optional(ChannelKind),
  endpoint: Type.Optional(
    Type.Union([
      Type.Literal('send'),
      Type.Literal('upload'),
      Type.Literal('poll'),
      Type.Literal('auth'),
      Type.Literal('webhook'),
      Type.Literal('conversions'),
    ]),
  ),
  type: Type.Union([Type.Literal('429'), Type.Literal('500'), Type.Literal('timeout'), Type.Literal('slow'), Type.Literal('lost')]),
  count: Type.Integer({ minimum: 1 }),
  retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  delayMs: Type.Optional(Type.Integer({ minimum: 0 })),
})

const Message = Type.Object({
  accountExternalId: Type.String(),
  message: Type.Object({
    from: Type.Object({ id: Type.String(), name: Type.String(), handle: Type.Optional(Type.String()), language: Type.Optional(Type.String()) }),
    text: Type.String(),
    kind: Type.Optional(Type.Union([Type.Literal('dm'), Type.Literal('comment'), Type.Literal('mention')])),
    postId: Type.Optional(Type.String()),
    mediaId: Type.Optional(Type.String()),
    replyToId: Type.Optional(Type.String()),
    attachments: Type.Optional(Type.Array(Type.Object({ type: Type.Literal('image'), url: Type.String() }))),
    at: Type.Optional(Type.String({ format: 'date-time' })),
    id: Type.Optional(Type.String()),
  }),
})

const Choice = Type.Object({
  accountExternalId: Type.String(),
  choice: Type.Object({
    from: Type.Object({ id: Type.String(), name: Type.String(), handle: Type.Optional(Type.String()), language: Type.Optional(Type.String()) }),
    messageId: Type.Optional(Type.String({ minLength: 1 })),
    optionId: Type.String({ minLength: 1 }),
    at: Type.Optional(Type.String({ format: 'date-time' })),
  }),
})

const TemplateStatusChange = Type.Object({
  businessAccountId: Type.String(),
  templateId: Type.String(),
  event: Type.Unsafe<TemplateStatusEvent>(Type.Union(Object.keys(templateStatusByEvent).map((event) => Type.Literal(event)))),
  reason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  otherInfo: Type.Optional(Type.Object({ title: Type.String(), description: Type.String() })),
  rejectionInfo: Type.Optional(Type.Object({ reason: Type.String(), recommendation: Type.String() })),
})

const Post = Type.Object({
  accountExternalId: Type.String(),
  post: Type.Object({
    id: Type.String({ minLength: 1 }),
    text: Type.Optional(Type.String()),
    permalink: Type.Optional(Type.String()),
    createdAt: Type.Optional(Type.String({ format: 'date-time' })),
    pictureUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  }),
})

const Demo = Type.Object({ intensity: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })), seed: Type.Optional(Type.Integer()) })

export function controlRoutes(simulator: () => Simulator, demos: Set<DemoTraffic>) {
  return async function (fastify: FastifyInstance) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    // Attachment URLs in demo messages point here, so the demo needs nothing from the internet. Any extension
    // answers a PNG, so .svg links stored by older demos still show a picture.
    app.get<{ Params: { name: string } }>('/_sim/media/:name', async (request, reply) => {
      const photo = demoPhoto(request.params.name.replace(/\.[a-z]+$/i, ''))
      return reply.type('image/png').header('cache-control', 'public, max-age=86400').send(photo)
    })

    // The bytes of a file our account sent, where echoes point (Messenger attachments, X DM media).
    app.get<{ Params: { id: string } }>('/_sim/uploads/:id', async (request, reply) => {
      const media = simulator().media(request.params.id)
      if (!media) return reply.code(404).send({ error: 'No such upload' })
      return reply.type(media.mimeType).send(media.bytes)
    })

    app.get('/_sim/sends', async () => ({ sends: simulator().sends }))
    app.get('/_sim/requests', async () => ({ requests: simulator().requests }))

    app.post('/_sim/faults', { schema: { body: Fault } }, async (request, reply) => {
      simulator().injectFault(request.body)
      return reply.code(201).send({ ok: true })
    })
    app.delete('/_sim/faults', async (_request, reply) => {
      simulator().clearFaults()
      return reply.code(204).send()
    })

    app.post('/_sim/accounts', { schema: { body: Account } }, async (request, reply) => {
      simulator().addAccount(request.body)
      return reply.code(201).send({ ok: true, apiBaseUrl: simulator().apiBaseUrl(request.body.kind) })
    })

    app.get<{ Params: { businessAccountId: string } }>('/_sim/templates/:businessAccountId', async (request) => ({
      templates: simulator().templates(request.params.businessAccountId),
    }))

    app.post('/_sim/templates/status', { schema: { body: TemplateStatusChange } }, async (request, reply) => {
      const { businessAccountId, templateId, event, ...options } = request.body
      if (
        !simulator()
          .templates(businessAccountId)
          .some((template) => template.id === templateId)
      ) {
        return reply.code(404).send({ error: `WABA ${businessAccountId} has no template ${templateId}` })
      }
      return simulator().templateStatusChanges(businessAccountId, templateId, event, options)
    })

    app.post('/_sim/messages', { schema: { body: Message } }, async (request, reply) => {
      const { accountExternalId, message } = request.body
      if (!simulator().account(accountExternalId)) return reply.code(404).send({ error: `No account ${accountExternalId}` })
      const report = await simulator().customerWrites(accountExternalId, { ...message, at: message.at ? new Date(message.at) : undefined })
      return report
    })

    // The customer taps an answer of a message of ours: 404 when there is no such message, 409 when its buttons are
    // gone, 400 for an answer it does not have.
    app.post('/_sim/choices', { schema: { body: Choice } }, async (request, reply) => {
      const { accountExternalId, choice } = request.body
      if (!simulator().account(accountExternalId)) return reply.code(404).send({ error: `No account ${accountExternalId}` })
      try {
        return await simulator().customerChooses(accountExternalId, { ...choice, at: choice.at ? new Date(choice.at) : undefined })
      } catch (error) {
        if (error instanceof ChoiceRefusedError) return reply.code(error.status).send({ error: error.message })
        throw error
      }
    })

    app.post('/_sim/posts', { schema: { body: Post } }, async (request, reply) => {
      const { accountExternalId, post } = request.body
      const account = simulator().account(accountExternalId)
      if (account?.kind !== 'facebook' && account?.kind !== 'instagram') {
        return reply.code(404).send({ error: `No Facebook or Instagram account ${accountExternalId}` })
      }
      const created = simulator().addPost(accountExternalId, { ...post, createdAt: post.createdAt ? new Date(post.createdAt) : undefined })
      return reply.code(201).send({ post: created })
    })
    app.get<{ Params: { postId: string } }>('/_sim/posts/:postId', async (request, reply) => {
      const post = simulator().post(request.params.postId)
      return post ? { post } : reply.code(404).send({ error: `No post ${request.params.postId}` })
    })

    app.get<{ Params: { commentId: string } }>('/_sim/comments/:commentId', async (request, reply) => {
      const comment = simulator().comment(request.params.commentId)
      return comment ? { comment } : reply.code(404).send({ error: `No comment ${request.params.commentId}` })
    })
    // The comment's author or Meta removes it; Carebox is not told (no webhook).
    app.delete<{ Params: { commentId: string } }>('/_sim/comments/:commentId', async (request, reply) => {
      if (!simulator().comment(request.params.commentId)) return reply.code(404).send({ error: `No comment ${request.params.commentId}` })
      simulator().commentDeleted(request.params.commentId)
      return reply.code(204).send()
    })

    app.post('/_sim/demo', { schema: { body: Demo } }, async (request, reply) => {
      for (const demo of demos) demo.stop()
      demos.clear()
      const { intensity, seed } = request.body
      demos.add(startDemoTraffic(simulator(), simulator().accounts(), { intensity, ...(seed !== undefined ? { random: seededRandom(seed) } : {}) }))
      return reply.code(201).send({ ok: true })
    })
    app.delete('/_sim/demo', async (_request, reply) => {
      for (const demo of demos) demo.stop()
      demos.clear()
      return reply.code(204).send()
    })
  }
}
