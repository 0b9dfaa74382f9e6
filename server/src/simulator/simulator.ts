import Fastify, { LogController, type FastifyBaseLogger, type FastifyRequest } from 'fastify'
import { blueskyRoutes } from './bluesky.routes.js'
import { customerChooses } from './choices.js'
import { controlRoutes } from './control.routes.js'
import { customerArrives, customerWrites, customerWritesBatch, deliverRaw, type BatchDeliveryReport } from './customer-writes.js'
import { conversionEventsOf, conversionsRoutes, type RecordedConversion } from './conversions.routes.js'
import type { DemoTraffic } from './demo.js'
import { createDemoReceiver, type DemoReceiver } from './demo-receiver.js'
import { addFault, clearFaults } from './faults.js'
import { mastodonRoutes } from './mastodon.routes.js'
import { parseMultipart, uploadBodyLimit } from './media.js'
import { metaCommentRoutes } from './meta-comments.routes.js'
import { addPost, commentView, copyPost, markCommentDeleted } from './meta-objects.js'
import { metaRoutes } from './meta.routes.js'
import { holdSlowAnswers } from './platform-call.js'
import { createState, requireAccount, waitForSends } from './state.js'
import { telegramRoutes } from './telegram.routes.js'
import { addAccountTemplates, templatesOf, templateStatusChanges } from './templates.js'
import type {
  CustomerArrival,
  CustomerChoice,
  CustomerMessage,
  DeliverRawOptions,
  DeliveryReport,
  FaultSpec,
  HandshakeReport,
  RecordedRequest,
  RecordedSend,
  SimAccount,
  SimComment,
  SimKind,
  SimMedia,
  SimPost,
  SimPostInput,
  SimTemplate,
  SimulatorOptions,
  TemplateStatusEvent,
  TemplateStatusOptions,
} from './types.js'
import { crcCheck, verifySubscription } from './webhook-delivery.js'
import { xRoutes } from './x.routes.js'

/**
 * The platform simulator: one HTTP server speaking Meta Graph, Telegram Bot API, X API v2, Mastodon and Bluesky
 * wire formats on loopback. Carebox channels point their config.apiBaseUrl at `apiBaseUrl(kind)`; customers are
 * played with `customerWrites`, and everything Carebox sends lands in `sends`.
 */
export interface Simulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  /** What a channel's config.apiBaseUrl should be for this kind. */
  apiBaseUrl(kind: SimKind): string
  addAccount(account: SimAccount): void
  account(externalId: string): SimAccount | undefined
  accounts(): SimAccount[]
  /** A customer writes: the platform's payload, delivered as a signed webhook (with retries) or queued for polling. */
  customerWrites(accountExternalId: string, message: CustomerMessage): Promise<DeliveryReport>
  /**
   * The customer taps an answer of a message of ours with answer buttons (WhatsApp list or reply buttons, Telegram
   * inline keyboard, Messenger or Instagram quick replies): the platform's payload for the tap, delivered as a
   * signed webhook or queued for polling. Throws ChoiceRefusedError when there is no such message or answer.
   */
  customerChooses(accountExternalId: string, choice: CustomerChoice): Promise<DeliveryReport>
  /** A customer opens a Messenger or Instagram thread from an ad or a link, before writing (the referral alone). */
  customerArrives(accountExternalId: string, arrival: CustomerArrival): Promise<DeliveryReport>
  /** Conversions API events Carebox sent and the simulator accepted, oldest first (live array). */
  conversionEvents: RecordedConversion[]
  /** Several messages in one Meta webhook POST (one entry each); the accounts must share one Meta app and webhook. */
  customerWritesBatch(writes: { accountExternalId: string; message: CustomerMessage }[]): Promise<BatchDeliveryReport>
  /** Any body, signed as the platform would (or as `options.signature` says), for bad-input tests and benchmarks. */
  deliverRaw(accountExternalId: string, body: object | string, options?: DeliverRawOptions): Promise<DeliveryReport>
  /** Meta's GET hub.challenge handshake against the account's webhookUrl. */
  verifySubscription(accountExternalId: string, verifyToken: string): Promise<HandshakeReport>
  /** X's CRC check against the account's webhookUrl. */
  crcCheck(accountExternalId: string): Promise<HandshakeReport>
  /** Copies of a WhatsApp Business Account's message templates (empty for an unknown WABA). */
  templates(businessAccountId: string): SimTemplate[]
  /**
   * Meta changes a template's status (REINSTATED and UNARCHIVED make it APPROVED; the other events are the status):
   * the stored template changes, then a signed message_template_status_update goes to the webhookUrl of the WABA's
   * first phone number that has one. Throws for an unknown template.
   */
  templateStatusChanges(businessAccountId: string, templateId: string, event: TemplateStatusEvent, options?: TemplateStatusOptions): Promise<DeliveryReport>
  /**
   * Sets a Facebook Page post or an Instagram media of the account (GET /{post-id}, GET /{ig-media-id}), replacing
   * what the simulator knew of it; fields left out are made up as for a post a comment names. Returns a copy.
   */
  addPost(accountExternalId: string, post: SimPostInput): SimPost
  /** A copy of a post or media the simulator knows (set, or made up for a comment), or undefined. */
  post(postId: string): SimPost | undefined
  /** A Facebook or Instagram comment as the platform sees it now (hidden, liked, deleted, privately answered), or undefined. */
  comment(commentId: string): SimComment | undefined
  /**
   * The comment's author, or Meta, removed it: from now on every action on it (reply, private reply, hide,
   * delete, like) answers Graph's 100/33. No webhook is sent. Throws for a comment the simulator never saw.
   */
  commentDeleted(commentId: string): void
  /** A file an account uploaded (WhatsApp media id, X media id, Mastodon attachment id, Bluesky blob cid, Telegram file_id), or undefined. */
  media(id: string): SimMedia | undefined
  /** Every call to a send endpoint, in order (live array). */
  sends: RecordedSend[]
  /** Every call to a platform endpoint, in order (live array, last 10,000). */
  requests: RecordedRequest[]
  /** Resolves with the matching sends once there are at least `count` of them; rejects after `timeoutMs` (default 5 s). */
  waitForSends(count: number, timeoutMs?: number, predicate?: (send: RecordedSend) => boolean): Promise<RecordedSend[]>
  injectFault(fault: FaultSpec): void
  clearFaults(): void
  /**
   * The demo's example receiver of Carebox's own outbound webhooks, at `${url}/demo-receiver` (POST deliveries, GET
   * its page): it verifies Standard Webhooks signatures with the secrets it is told to trust.
   */
  demoReceiver: Pick<DemoReceiver, 'trust' | 'received'>
  close(): Promise<void>
}

const apiPrefixes: Record<SimKind, string> = {
  facebook: '/graph/v21.0',
  instagram: '/graph/v21.0',
  whatsapp: '/graph/v21.0',
  telegram: '/telegram',
  x: '/x',
  mastodon: '/mastodon',
  bluesky: '/bluesky',
}

/** Not-found answers in the shape of the platform the path belongs to. */
function notFoundBody(url: string): { status: number; body: unknown } {
  if (url.startsWith('/graph/')) {
    return { status: 400, body: { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500 } } }
  }
  if (url.startsWith('/telegram/')) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } }
  if (url.startsWith('/x/')) {
    return { status: 404, body: { title: 'Not Found Error', type: 'about:blank', status: 404, detail: 'Not Found' } }
  }
  if (url.startsWith('/mastodon/')) return { status: 404, body: { error: 'Record not found' } }
  if (url.startsWith('/bluesky/')) return { status: 501, body: { error: 'MethodNotImplemented', message: 'Method Not Implemented' } }
  return { status: 404, body: { error: `No simulator route for ${url.split('?')[0]}` } }
}

/** Form bodies as Graph, Telegram and Mastodon accept them; repeated keys become arrays. */
function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = out[key]
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return out
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const state = createState(options)
  const demos = new Set<DemoTraffic>()
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : {}),
    logController: new LogController({ disableRequestLogging: true }),
    // Held ('timeout' and 'slow' faults) and long-polling requests must not keep close() waiting.
    forceCloseConnections: true,
    bodyLimit: 16 * 1024 * 1024,
  })
  // Graph takes a DELETE (or a POST with its parameters in the query) that names a JSON type and sends no body.
  const parseJson = app.getDefaultJsonParser('error', 'ignore')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString()
    if (text === '') return done(null, undefined)
    return parseJson(request, text, done)
  })
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseForm(body as string))
  })
  // Files: Graph /media and Send API filedata, Telegram sendPhoto & co., X /2/media/upload, Mastodon /api/v2/media.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: uploadBodyLimit }, async (request: FastifyRequest, body: Buffer) => {
    try {
      return await parseMultipart(request.headers['content-type'] ?? '', body)
    } catch {
      throw Object.assign(new Error('The multipart/form-data body could not be read'), { statusCode: 400 })
    }
  })
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = notFoundBody(request.url)
    return reply.code(status).send(body)
  })

  holdSlowAnswers(app, state)
  await app.register(metaRoutes(state))
  await app.register(conversionsRoutes(state))
  await app.register(metaCommentRoutes(state))
  await app.register(telegramRoutes(state))
  await app.register(xRoutes(state))
  await app.register(mastodonRoutes(state))
  await app.register(blueskyRoutes(state))
  await app.register(controlRoutes(() => simulator, demos))
  const demoReceiver = createDemoReceiver()
  await app.register(demoReceiver.routes)

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' })
  state.url = address.replace('://localhost', '://127.0.0.1')
  state.log.info({ url: state.url }, 'platform simulator listening')

  const simulator: Simulator = {
    url: state.url,
    apiBaseUrl: (kind) => `${state.url}${apiPrefixes[kind]}`,
    addAccount: (account) => {
      const existing = state.accounts.get(account.externalId)
      if (existing && existing.kind !== account.kind) throw new Error(`Account ${account.externalId} is already a ${existing.kind} account`)
      addAccountTemplates(state, account)
      // Templates live with the WABA, shared by its phone numbers, not on the account.
      const { templates: _templates, ...stored } = account
      state.accounts.set(account.externalId, { ...stored, secrets: { ...account.secrets } })
    },
    account: (externalId) => state.accounts.get(externalId),
    accounts: () => [...state.accounts.values()],
    customerWrites: (accountExternalId, message) => customerWrites(state, accountExternalId, message),
    customerChooses: (accountExternalId, choice) => customerChooses(state, accountExternalId, choice),
    customerWritesBatch: (writes) => customerWritesBatch(state, writes),
    customerArrives: (accountExternalId, arrival) => customerArrives(state, accountExternalId, arrival),
    conversionEvents: conversionEventsOf(state),
    deliverRaw: (accountExternalId, body, deliverOptions) => deliverRaw(state, accountExternalId, body, deliverOptions),
    verifySubscription: (accountExternalId, verifyToken) => verifySubscription(state, requireAccount(state, accountExternalId), verifyToken),
    crcCheck: (accountExternalId) => crcCheck(state, requireAccount(state, accountExternalId)),
    templates: (businessAccountId) => structuredClone(templatesOf(state, businessAccountId)),
    templateStatusChanges: (businessAccountId, templateId, event, statusOptions) =>
      templateStatusChanges(state, businessAccountId, templateId, event, statusOptions),
    addPost: (accountExternalId, post) => addPost(state, accountExternalId, post),
    post: (postId) => {
      const post = state.meta.posts.get(postId)
      return post && copyPost(post)
    },
    comment: (commentId) => commentView(state, commentId),
    commentDeleted: (commentId) => markCommentDeleted(state, commentId),
    media: (id) => {
      const media = state.media.get(id)
      return media && { ...media }
    },
    sends: state.sends,
    requests: state.requests,
    waitForSends: (count, timeoutMs, predicate) => waitForSends(state, count, timeoutMs, predicate),
    injectFault: (fault) => addFault(state, fault),
    clearFaults: () => clearFaults(state),
    demoReceiver: { trust: demoReceiver.trust, received: demoReceiver.received },
    close: async () => {
      if (state.shutdown.signal.aborted) return
      for (const demo of demos) demo.stop()
      state.shutdown.abort()
      await app.close()
      await Promise.allSettled([...state.background])
    },
  }
  return simulator
}
