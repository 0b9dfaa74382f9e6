import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  graphError,
  graphTime,
  graphToken,
  invalidToken,
  metaKinds,
  missingToken,
  param100,
  pickFields,
  tokenProblem,
  unknownObject,
  type GraphRoute,
} from './graph.js'
import { checkQuickReplies, checkWhatsAppInteractive, rememberChoices } from './choices.js'
import { instagramMid, messengerMid, numericId, stableNumericId as numericIdFor, whatsappMessageId } from './ids.js'
import { messagingAttachmentOf, uploadWhatsAppMedia, whatsappMediaOf, whatsappMediaTypes } from './meta-media.js'
import { postNode, rememberPost } from './meta-objects.js'
import { fileParam } from './media.js'
import { answer, enterCall, objectParam, requestParams, stringParam } from './platform-call.js'
import { defaultFacebookPostId, whatsappBusinessAccountId } from './payloads/meta.js'
import { scheduleMessagingReceipts, schedulePageCommentEcho, scheduleWhatsAppReceipts } from './receipts.js'
import { commentOrAdopted, findAccount, findAccountBySecret, type SimState } from './state.js'
import { pageTemplates, phoneNumbersOf, templateCursor, templateSendProblem, templatesOf } from './templates.js'
import type { RecordedMedia, SimAccount } from './types.js'

/**
 * Graph API as Carebox's Meta connectors call it: the Send API (Messenger, Instagram), WhatsApp Cloud API
 * messages, comment replies, and the few reads a connector needs (profiles, posts and media, templates). Comment
 * moderation is in meta-comments.routes.ts. Errors are Graph's {error:{message,type,code}}.
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api ,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 */

/** How long after a comment Meta accepts its one private reply. */
const privateReplyWindowMs = 7 * 86_400_000

export function metaRoutes(state: SimState) {
  return async function (app: FastifyInstance) {
    app.post<GraphRoute>('/graph/:version/:id/messages', async (request, reply) => {
      const { id } = request.params
      const token = graphToken(request)
      const account = id === 'me' ? findAccountBySecret(state, metaKinds, 'accessToken', token) : findAccount(state, id, metaKinds)
      if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'send', account })) return reply
      if (!account) {
        return id === 'me' ? answer(state, request, reply, 401, invalidToken()) : answer(state, request, reply, 400, unknownObject(id, 'post'))
      }
      const problem = tokenProblem(account, token)
      if (problem) return answer(state, request, reply, problem.status, problem.body)
      return account.kind === 'whatsapp' ? sendWhatsApp(state, request, reply, account) : sendMessaging(state, request, reply, account)
    })

    app.post<GraphRoute>('/graph/:version/:id/media', async (request, reply) => uploadWhatsAppMedia(state, request, reply))

    app.post<GraphRoute>('/graph/:version/:id/comments', async (request, reply) => replyToComment(state, request, reply, 'facebook'))
    app.post<GraphRoute>('/graph/:version/:id/replies', async (request, reply) => replyToComment(state, request, reply, 'instagram'))

    app.post<GraphRoute>('/graph/:version/:id/mentions', async (request, reply) => {
      const account = findAccount(state, request.params.id, ['instagram'])
      if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'send', account })) return reply
      if (!account) return answer(state, request, reply, 400, unknownObject(request.params.id, 'post'))
      const problem = tokenProblem(account, graphToken(request))
      if (problem) return answer(state, request, reply, problem.status, problem.body)
      const params = requestParams(request)
      if (!stringParam(params, 'comment_id') && !stringParam(params, 'media_id')) {
        return answer(state, request, reply, 400, param100('The parameter media_id is required.'))
      }
      if (!stringParam(params, 'message')) return answer(state, request, reply, 400, param100('The parameter message is required.'))
      const newId = numericId(17, '179')
      return answer(state, request, reply, 200, { id: newId }, { platformMessageId: newId })
    })

    // A Page or Instagram account subscribes by its id; a WhatsApp Business Account by the WABA id its numbers share.
    app.post<GraphRoute>('/graph/:version/:id/subscribed_apps', async (request, reply) => {
      const account =
        findAccount(state, request.params.id, metaKinds) ??
        [...state.accounts.values()].find((one) => one.kind === 'whatsapp' && whatsappBusinessAccountId(one) === request.params.id)
      if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'webhook', account })) return reply
      if (!account) return answer(state, request, reply, 400, unknownObject(request.params.id, 'post'))
      const problem = tokenProblem(account, graphToken(request))
      if (problem) return answer(state, request, reply, problem.status, problem.body)
      return answer(state, request, reply, 200, { success: true })
    })

    app.get<GraphRoute>('/graph/:version/:id/message_templates', async (request, reply) => listTemplates(state, request, reply))

    app.get<GraphRoute>('/graph/:version/:id', async (request, reply) => readNode(state, request, reply))
  }
}

async function sendWhatsApp(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  if (stringParam(params, 'messaging_product') !== 'whatsapp') {
    return answer(state, request, reply, 400, param100('The parameter messaging_product is required.'))
  }
  if (stringParam(params, 'status') === 'read') {
    if (!stringParam(params, 'message_id')) return answer(state, request, reply, 400, param100('The parameter message_id is required.'))
    return answer(state, request, reply, 200, { success: true })
  }
  const to = stringParam(params, 'to')
  if (!to) return answer(state, request, reply, 400, param100('The parameter to is required.'))
  const type = stringParam(params, 'type') || 'text'
  if (type === 'text') {
    const body = objectParam(params, 'text')?.body
    if (typeof body !== 'string' || !body) return answer(state, request, reply, 400, param100("The parameter text['body'] is required."))
    if (body.length > 4096) return answer(state, request, reply, 400, param100("Param text['body'] must be at most 4096 characters long."))
  } else if (type === 'template') {
    const template = objectParam(params, 'template')
    if (!template?.name) return answer(state, request, reply, 400, param100("The parameter template['name'] is required."))
    const problem = templateSendProblem(templatesOf(state, whatsappBusinessAccountId(account)), template)
    if (problem) {
      const error = graphError(problem.code, `(#${problem.code}) ${problem.message}`, {
        error_data: { messaging_product: 'whatsapp', details: problem.details },
      })
      return answer(state, request, reply, problem.status, error)
    }
  } else if (!objectParam(params, type)) {
    return answer(state, request, reply, 400, param100(`The parameter ${type} is required.`))
  }
  const interactive = type === 'interactive' ? checkWhatsAppInteractive(objectParam(params, 'interactive')!) : undefined
  if (interactive?.problem) return answer(state, request, reply, 400, interactive.problem)
  let media: RecordedMedia | undefined
  const mediaType = whatsappMediaTypes.find((name) => name === type)
  if (mediaType) {
    const found = whatsappMediaOf(state, account, mediaType, objectParam(params, mediaType)!)
    if ('error' in found) return answer(state, request, reply, 400, found.error)
    media = found.media
  }
  // Handed back in every status of this message; Graph caps it at 512 characters.
  const callbackData = stringParam(params, 'biz_opaque_callback_data')
  if (callbackData.length > 512) {
    return answer(state, request, reply, 400, param100('Param biz_opaque_callback_data must be at most 512 characters long.'))
  }
  const wamid = whatsappMessageId()
  const waId = state.meta.waIds.get(to) ?? to.replace(/^\+/, '')
  const result = answer(
    state,
    request,
    reply,
    200,
    {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: waId }],
      messages: [{ id: wamid, ...(type === 'template' ? { message_status: 'accepted' } : {}) }],
    },
    { platformMessageId: wamid, ...(media && { media }) },
  )
  if (interactive?.control) {
    rememberChoices(state, {
      kind: 'whatsapp',
      accountExternalId: account.externalId,
      messageId: wamid,
      recipientId: waId,
      control: interactive.control,
      options: interactive.options,
    })
  }
  scheduleWhatsAppReceipts(state, account, { messageId: wamid, recipientId: waId, ...(callbackData && { callbackData }) })
  return result
}

const senderActions = ['mark_seen', 'typing_on', 'typing_off', 'react', 'unreact']
const messagingTypes = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG']

async function sendMessaging(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const recipient = objectParam(params, 'recipient')
  const recipientId = recipient?.id ? String(recipient.id) : undefined
  const commentId = recipient?.comment_id ? String(recipient.comment_id) : undefined
  if (!recipientId && !commentId && !recipient?.post_id) {
    return answer(state, request, reply, 400, param100('The parameter recipient is required'))
  }
  const senderAction = stringParam(params, 'sender_action')
  const message = objectParam(params, 'message')
  if (senderAction) {
    if (!senderActions.includes(senderAction.toLowerCase())) {
      return answer(state, request, reply, 400, param100('Param sender_action must be one of {MARK_SEEN, TYPING_ON, TYPING_OFF, REACT, UNREACT}'))
    }
    return answer(state, request, reply, 200, { recipient_id: recipientId })
  }
  if (!message) return answer(state, request, reply, 400, param100('Must send either message or sender_action'))
  const text = typeof message.text === 'string' ? message.text : undefined
  if (!text && !message.attachment) {
    return answer(state, request, reply, 400, param100('Message cannot be empty, must provide valid attachment or text'))
  }
  if (text && text.length > 2000) {
    return answer(state, request, reply, 400, param100('Length of param message[text] must be less than or equal to 2000'))
  }
  if (text && message.attachment) return answer(state, request, reply, 400, param100('Message cannot have both text and attachment'))
  const quickReplies = message.quick_replies === undefined ? undefined : checkQuickReplies(message.quick_replies, account.kind as 'facebook' | 'instagram')
  if (quickReplies?.problem) return answer(state, request, reply, 400, quickReplies.problem)
  const found = message.attachment ? messagingAttachmentOf(state, account, message.attachment, fileParam(params, 'filedata')) : undefined
  if (found && 'error' in found) return answer(state, request, reply, 400, found.error)
  const attachment = found?.attachment
  // Returned in the echo of this message (Messenger; Instagram echoes carry none).
  const metadata = typeof message.metadata === 'string' ? message.metadata : undefined
  if (metadata && metadata.length > 1000) {
    return answer(state, request, reply, 400, param100('Length of param message[metadata] must be less than or equal to 1000'))
  }
  const messagingType = stringParam(params, 'messaging_type')
  if (messagingType && !messagingTypes.includes(messagingType)) {
    return answer(state, request, reply, 400, param100('Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}'))
  }
  if (messagingType === 'MESSAGE_TAG' && !stringParam(params, 'tag')) {
    return answer(state, request, reply, 400, param100('Param tag is required when messaging_type is MESSAGE_TAG'))
  }

  let customerId = recipientId
  if (commentId) {
    // Private replies: one per comment, within 7 days of it. https://developers.facebook.com/docs/messenger-platform/discovery/private-replies
    const comment = commentOrAdopted(state, commentId, account)
    if (!comment || comment.isDeleted) return answer(state, request, reply, 400, unknownObject(commentId, 'post'))
    if (comment.hasPrivateReply) return answer(state, request, reply, 400, graphError(10900, '(#10900) Activity already replied to'))
    if (Date.now() - comment.at.getTime() > privateReplyWindowMs) {
      const message = '(#10900) Cannot send a private reply: the comment is older than 7 days'
      return answer(state, request, reply, 400, graphError(10900, message))
    }
    comment.hasPrivateReply = true
    customerId = comment.authorId
  }
  const mid = account.kind === 'instagram' ? instagramMid() : messengerMid()
  const sent = { recipient_id: customerId ?? numericId(16), message_id: mid, ...(attachment?.attachmentId && { attachment_id: attachment.attachmentId }) }
  const result = answer(state, request, reply, 200, sent, { platformMessageId: mid, ...(attachment?.media && { media: attachment.media }) })
  if (customerId && quickReplies?.options) {
    const options = quickReplies.options
    rememberChoices(state, {
      kind: account.kind,
      accountExternalId: account.externalId,
      messageId: mid,
      recipientId: customerId,
      control: 'quick_replies',
      options,
    })
  }
  if (customerId) {
    const echoMetadata = account.kind === 'facebook' ? metadata : undefined
    const echoAttachment = attachment?.url ? { type: attachment.type, url: attachment.url } : undefined
    scheduleMessagingReceipts(state, account, {
      mid,
      recipientId: customerId,
      text,
      ...(echoMetadata && { metadata: echoMetadata }),
      ...(echoAttachment && { attachment: echoAttachment }),
      at: new Date(),
    })
  }
  return result
}

const maxTemplatePage = 100

/**
 * GET /{waba-id}/message_templates: the WABA's templates, `limit` per page (default 25, at most 100), paged with
 * `after` / `before` cursors; filters `status`, `category`, `language` (exact) and `name` (contains). Any token of
 * one of the WABA's phone numbers may read them.
 * https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates
 */
async function listTemplates(state: SimState, request: FastifyRequest<GraphRoute>, reply: FastifyReply) {
  const { id } = request.params
  const token = graphToken(request)
  const phones = phoneNumbersOf(state, id)
  const account = phones.find((phone) => token && phone.secrets.accessToken === token) ?? phones[0]
  if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'poll', account })) return reply
  if (!account) return answer(state, request, reply, 400, unknownObject(id, 'get'))
  const problem = tokenProblem(account, token)
  if (problem) return answer(state, request, reply, problem.status, problem.body)
  const params = requestParams(request)
  const limitParam = stringParam(params, 'limit')
  const limit = limitParam ? Number(limitParam) : 25
  if (!Number.isInteger(limit) || limit < 1) return answer(state, request, reply, 400, param100('Param limit must be a positive integer'))
  const filters = { status: stringParam(params, 'status'), category: stringParam(params, 'category'), language: stringParam(params, 'language') }
  const name = stringParam(params, 'name').toLowerCase()
  const templates = templatesOf(state, id).filter(
    (template) =>
      (!filters.status || filters.status.split(',').includes(template.status)) &&
      (!filters.category || filters.category.split(',').includes(template.category)) &&
      (!filters.language || filters.language === template.language) &&
      (!name || template.name.toLowerCase().includes(name)),
  )
  const after = stringParam(params, 'after')
  const before = stringParam(params, 'before')
  const page = pageTemplates(templates, { limit: Math.min(limit, maxTemplatePage), after, before })
  if (!page) return answer(state, request, reply, 400, param100(`The ${after ? 'after' : 'before'} cursor is not valid`))
  const fields = stringParam(params, 'fields')
  const data = page.items.map((template) => pickFields({ ...template }, fields))
  const first = page.items[0]
  const last = page.items.at(-1)
  if (!first || !last) return answer(state, request, reply, 200, { data })
  // The links repeat the request (token included, when it came in the query) with the cursor swapped, as Graph's do.
  const link = (cursor: 'after' | 'before', value: string) => {
    const url = new URL(request.url, state.url)
    url.searchParams.delete('after')
    url.searchParams.delete('before')
    url.searchParams.set(cursor, value)
    return url.toString()
  }
  const paging = {
    cursors: { before: templateCursor(first), after: templateCursor(last) },
    ...(page.hasPrevious ? { previous: link('before', templateCursor(first)) } : {}),
    ...(page.hasNext ? { next: link('after', templateCursor(last)) } : {}),
  }
  return answer(state, request, reply, 200, { data, paging })
}

/**
 * FB: POST /{comment-or-post-id}/comments. IG: POST /{ig-comment-id}/replies. Both answer {id}; the reply is kept
 * as a comment of ours (it can be deleted or liked, and answered under). A deleted or unknown comment: 100/33.
 */
async function replyToComment(state: SimState, request: FastifyRequest<GraphRoute>, reply: FastifyReply, kind: 'facebook' | 'instagram') {
  const { id } = request.params
  const token = graphToken(request)
  const found = state.meta.comments.get(id)
  // Facebook takes comments on a post too: one the simulator knows, or a `<page-id>_<post>` id of one of its Pages.
  const post = kind === 'facebook' && !found ? state.meta.posts.get(id) : undefined
  const postPage = kind === 'facebook' && !found && id.includes('_') ? findAccount(state, id.split('_')[0] ?? '', ['facebook']) : undefined
  const owner = found?.accountExternalId ?? post?.accountExternalId
  const account = (owner ? findAccount(state, owner, [kind]) : undefined) ?? postPage ?? findAccountBySecret(state, [kind], 'accessToken', token)
  const comment = found ?? (post || postPage ? undefined : commentOrAdopted(state, id, account))
  if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'send', account })) return reply
  if (!account) {
    return answer(state, request, reply, 400, token ? unknownObject(id, 'post') : missingToken())
  }
  const problem = tokenProblem(account, token)
  if (problem) return answer(state, request, reply, problem.status, problem.body)
  const isPost = Boolean(post ?? postPage)
  if ((!comment && !isPost) || comment?.isDeleted || (comment && comment.accountExternalId !== account.externalId)) {
    return answer(state, request, reply, 400, unknownObject(id, 'post'))
  }
  const text = stringParam(requestParams(request), 'message')
  if (!text && !stringParam(requestParams(request), 'attachment_url')) {
    return answer(state, request, reply, 400, param100(kind === 'facebook' ? 'Missing message or attachment' : 'The parameter message is required.'))
  }
  const postId = comment?.postId ?? (id.includes('_') ? id : defaultFacebookPostId(account.externalId))
  const newId = kind === 'facebook' ? `${postId.split('_').pop()}_${numericId(15)}` : numericId(17, '179')
  const at = new Date()
  state.meta.comments.set(newId, { accountExternalId: account.externalId, authorId: account.externalId, authorUsername: account.handle, postId, text, at })
  const result = answer(state, request, reply, 200, { id: newId }, { platformMessageId: newId })
  if (kind === 'facebook') schedulePageCommentEcho(state, account, { commentId: newId, parentId: id, postId, text })
  return result
}

/** A stable follower count per person, as the Instagram User Profile API gives one. */
function followersOf(id: string): number {
  let hash = 0
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) % 100_003
  return hash * 7
}

/**
 * The User Profile API: a Page reads the name and picture of someone who wrote to it by their PSID; an Instagram
 * account reads name, username, picture and follower count by IGSID. Only the account they wrote to may ask.
 */
async function readProfile(state: SimState, request: FastifyRequest<GraphRoute>, reply: FastifyReply) {
  const { id } = request.params
  const person = state.meta.profiles.get(id)
  if (!person) return false
  const account = findAccount(state, person.accountExternalId, metaKinds)
  if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'poll', account })) return true
  if (!account) {
    answer(state, request, reply, 400, unknownObject(id, 'get'))
    return true
  }
  const problem = tokenProblem(account, graphToken(request))
  if (problem) {
    answer(state, request, reply, problem.status, problem.body)
    return true
  }
  const picture = `https://scontent.xx.fbcdn.net/v/profile/${id}.jpg`
  const [first, ...rest] = person.name.split(' ')
  const node =
    person.kind === 'facebook'
      ? { id, first_name: first ?? '', last_name: rest.join(' '), profile_pic: picture }
      : {
          id,
          name: person.name,
          username: person.handle ?? person.name.toLowerCase().replace(/\s+/g, '_'),
          profile_pic: picture,
          follower_count: followersOf(id),
        }
  const fields = stringParam(requestParams(request), 'fields')
  answer(state, request, reply, 200, fields ? { ...pickFields(node, fields), id } : node)
  return true
}

/**
 * With unknown comments adopted (the demo), a post or media id never seen, asked for with a Page's or Instagram
 * account's token, is taken as one published before the simulator started: made up like any other.
 */
function adoptedPost(state: SimState, request: FastifyRequest<GraphRoute>) {
  const { id } = request.params
  if (!state.options.adoptUnknownComments || state.meta.profiles.has(id)) return undefined
  const account = findAccountBySecret(state, ['facebook', 'instagram'], 'accessToken', graphToken(request))
  const looksLikePost = account?.kind === 'facebook' ? /^\d+_\d+$/.test(id) : /^\d{15,20}$/.test(id)
  if (!account || !looksLikePost) return undefined
  rememberPost(state, account, id, new Date())
  return state.meta.posts.get(id)
}

/** GET /{post-id} (a Page post) or /{ig-media-id}: the post a comment is under, with the fields asked for. */
async function readPost(state: SimState, request: FastifyRequest<GraphRoute>, reply: FastifyReply) {
  const post = state.meta.posts.get(request.params.id) ?? adoptedPost(state, request)
  if (!post) return false
  const account = findAccount(state, post.accountExternalId, [post.kind])
  if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'poll', account })) return true
  const token = graphToken(request)
  if (!account) {
    answer(state, request, reply, 400, unknownObject(post.id, 'get'))
    return true
  }
  const problem = tokenProblem(account, token)
  if (problem) {
    answer(state, request, reply, problem.status, problem.body)
    return true
  }
  const { node, defaultFields } = postNode(state, post)
  answer(state, request, reply, 200, pickFields(node, stringParam(requestParams(request), 'fields') || defaultFields))
  return true
}

/** GET /{id}: a person's profile, a post or media, an IG account's mentioned_comment / mentioned_media, a WhatsApp media URL, or the node itself. */
async function readNode(state: SimState, request: FastifyRequest<GraphRoute>, reply: FastifyReply) {
  if (request.params.id === 'me') return readMe(state, request, reply)
  if (await readProfile(state, request, reply)) return reply
  if (await readPost(state, request, reply)) return reply
  const { id } = request.params
  const token = graphToken(request)
  const fields = stringParam(requestParams(request), 'fields')
  const mediaUrl = state.meta.media.get(id)
  const account = findAccount(state, id, metaKinds) ?? (mediaUrl ? findAccountBySecret(state, ['whatsapp'], 'accessToken', token) : undefined)
  if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'poll', account })) return reply
  if (!account) return answer(state, request, reply, 400, unknownObject(id, 'get'))
  const problem = tokenProblem(account, token)
  if (problem) return answer(state, request, reply, problem.status, problem.body)
  if (mediaUrl) {
    const media = { messaging_product: 'whatsapp', url: mediaUrl, mime_type: 'image/jpeg', sha256: numericId(44), file_size: 98304, id }
    return answer(state, request, reply, 200, media)
  }
  const mentionedComment = /mentioned_comment\.comment_id\(([^)]+)\)(?:\{([^}]*)\})?/.exec(fields)
  if (mentionedComment) {
    const comment = state.meta.comments.get(mentionedComment[1] ?? '')
    if (!comment) return answer(state, request, reply, 400, unknownObject(mentionedComment[1] ?? '', 'get'))
    const node = {
      id: mentionedComment[1],
      text: comment.text,
      timestamp: graphTime(comment.at),
      username: comment.authorUsername,
      like_count: 0,
      media: { id: comment.postId },
    }
    return answer(state, request, reply, 200, { mentioned_comment: pickFields(node, mentionedComment[2]), id })
  }
  const mentionedMedia = /mentioned_media\.media_id\(([^)]+)\)(?:\{([^}]*)\})?/.exec(fields)
  if (mentionedMedia) {
    const mediaUrl = `https://scontent.cdninstagram.com/v/${mentionedMedia[1]}.jpg`
    const node = { id: mentionedMedia[1], caption: '', media_type: 'IMAGE', media_url: mediaUrl, timestamp: graphTime(new Date()) }
    return answer(state, request, reply, 200, { mentioned_media: pickFields(node, mentionedMedia[2]), id })
  }
  return answer(state, request, reply, 200, pickFields(accountNode(account), fields || 'id,name'))
}

/**
 * GET /me: the object the token belongs to. A Page token's is its Page, an Instagram token's its account; a WhatsApp
 * token is a system user's, whose node names the user, not the number. No token is Graph's code 104, an unknown one 190.
 */
async function readMe(state: SimState, request: FastifyRequest<GraphRoute>, reply: FastifyReply) {
  const token = graphToken(request)
  const account = findAccountBySecret(state, metaKinds, 'accessToken', token)
  if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'auth', account })) return reply
  if (!token) return answer(state, request, reply, 400, missingToken())
  if (!account) return answer(state, request, reply, 401, invalidToken())
  const fields = stringParam(requestParams(request), 'fields') || 'id,name'
  if (account.kind === 'whatsapp') {
    const systemUser = { id: numericIdFor(`system-user:${account.externalId}`, 15), name: 'Carebox system user' }
    return answer(state, request, reply, 200, pickFields(systemUser, fields))
  }
  return answer(state, request, reply, 200, pickFields(accountNode(account), fields))
}

/** A Page, an Instagram professional account or a WhatsApp phone number, with the fields Graph gives each. */
function accountNode(account: SimAccount): Record<string, unknown> {
  const name = account.handle ?? `${account.kind} ${account.externalId}`
  if (account.kind === 'instagram') {
    return {
      id: account.externalId,
      username: name
        .replace(/^@/, '')
        .toLowerCase()
        .replace(/[^a-z0-9._]+/g, '_'),
      name,
    }
  }
  if (account.kind === 'whatsapp') {
    return {
      id: account.externalId,
      display_phone_number: account.displayPhoneNumber ?? numericIdFor(`phone:${account.externalId}`, 11, '1555'),
      verified_name: name,
      code_verification_status: 'VERIFIED',
      quality_rating: 'GREEN',
      platform_type: 'CLOUD_API',
    }
  }
  return { id: account.externalId, name }
}
