import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { checkInlineKeyboard, rememberChoices } from './choices.js'
import { deliverOrQueueTelegram } from './customer-writes.js'
import { isFormFile, isImage, ownMedia, recordedMedia, storeMedia } from './media.js'
import { answer, enterCall, objectParam, requestParams, stringParam } from './platform-call.js'
import { buildTelegramBotUser, buildTelegramSentMessage, nextTelegramMessageId, type TelegramSentFile, type TelegramUpdate } from './payloads/telegram.js'
import { findAccountBySecret, runInBackground, telegramFeed, type SimState } from './state.js'
import type { FaultEndpoint, SimAccount, SimMedia } from './types.js'

/**
 * Telegram Bot API: /telegram/bot<token>/<method>, GET or POST, parameters in the query, JSON or a form.
 * Answers are {ok:true,result} or {ok:false,error_code,description}. https://core.telegram.org/bots/api
 */

interface BotRoute {
  Params: { bot: string; method: string }
}

const methodEndpoints: Record<string, FaultEndpoint> = {
  getme: 'auth',
  getupdates: 'poll',
  sendmessage: 'send',
  sendphoto: 'send',
  sendvideo: 'send',
  sendaudio: 'send',
  senddocument: 'send',
  // The bot's answers to a tapped inline button, recorded with the sends.
  answercallbackquery: 'send',
  editmessagereplymarkup: 'send',
  setwebhook: 'webhook',
  deletewebhook: 'webhook',
  getwebhookinfo: 'webhook',
}

const botAbilities = { can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }

const telegramError = (code: number, description: string) => ({ ok: false, error_code: code, description })

/** Long polls are capped so a forgotten one cannot hold a connection for long. */
const maxLongPollSeconds = 50

export function telegramRoutes(state: SimState) {
  return async function (app: FastifyInstance) {
    app.route<BotRoute>({
      method: ['GET', 'POST'],
      url: '/telegram/:bot/:method',
      handler: async (request, reply) => {
        const { bot, method } = request.params
        const endpoint = methodEndpoints[method.toLowerCase()]
        if (!bot.startsWith('bot') || !endpoint) return reply.code(404).send(telegramError(404, 'Not Found'))
        const account = findAccountBySecret(state, ['telegram'], 'botToken', bot.slice(3))
        if (await enterCall(state, request, reply, { family: 'telegram', endpoint, account })) return reply
        if (!account) return answer(state, request, reply, 401, telegramError(401, 'Unauthorized'))
        switch (method.toLowerCase()) {
          case 'getme':
            return answer(state, request, reply, 200, { ok: true, result: { ...buildTelegramBotUser(account.externalId, account.handle), ...botAbilities } })
          case 'getupdates':
            return getUpdates(state, request, reply, account)
          case 'sendmessage':
            return sendMessage(state, request, reply, account)
          case 'sendphoto':
            return sendFile(state, request, reply, account, 'photo')
          case 'sendvideo':
            return sendFile(state, request, reply, account, 'video')
          case 'sendaudio':
            return sendFile(state, request, reply, account, 'audio')
          case 'senddocument':
            return sendFile(state, request, reply, account, 'document')
          case 'answercallbackquery':
            return answerCallbackQuery(state, request, reply, account)
          case 'editmessagereplymarkup':
            return editMessageReplyMarkup(state, request, reply, account)
          case 'setwebhook':
            return setWebhook(state, request, reply, account)
          case 'deletewebhook': {
            account.webhookUrl = undefined
            if (stringParam(requestParams(request), 'drop_pending_updates') === 'true') telegramFeed(state, account.externalId).updates.length = 0
            return answer(state, request, reply, 200, { ok: true, result: true, description: 'Webhook was deleted' })
          }
          default:
            return getWebhookInfo(state, request, reply, account)
        }
      },
    })
  }
}

/**
 * Updates below `offset` are confirmed and forgotten; a negative offset keeps only the last -offset updates.
 * With `timeout`, an empty answer waits for the next update (long polling).
 */
async function getUpdates(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  if (account.webhookUrl) {
    const description = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
    return answer(state, request, reply, 409, telegramError(409, description))
  }
  const params = requestParams(request)
  const offset = Number(stringParam(params, 'offset') || 0)
  const limit = Math.min(100, Math.max(1, Number(stringParam(params, 'limit') || 100)))
  const timeoutSeconds = Math.min(maxLongPollSeconds, Math.max(0, Number(stringParam(params, 'timeout') || 0)))
  const feed = telegramFeed(state, account.externalId)
  if (offset > 0) feed.updates = feed.updates.filter((update) => update.update_id >= offset)
  else if (offset < 0) feed.updates = feed.updates.slice(offset)
  if (feed.updates.length === 0 && timeoutSeconds > 0) await waitForUpdate(state, feed.listeners, timeoutSeconds * 1000)
  if (account.webhookUrl) {
    return answer(state, request, reply, 409, telegramError(409, 'Conflict: terminated by setWebhook request'))
  }
  return answer(state, request, reply, 200, { ok: true, result: feed.updates.slice(0, limit) })
}

function waitForUpdate(state: SimState, listeners: Set<() => void>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      listeners.delete(done)
      state.shutdown.signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, timeoutMs)
    listeners.add(done)
    state.shutdown.signal.addEventListener('abort', done, { once: true })
  })
}

function sendMessage(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const chatId = stringParam(params, 'chat_id')
  const text = stringParam(params, 'text')
  if (!chatId) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: chat_id is empty'))
  if (!/^-?\d+$/.test(chatId)) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: chat not found'))
  if (!text.trim()) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: message text is empty'))
  if (text.length > 4096) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: message is too long'))
  const markup = params.reply_markup === undefined ? undefined : objectParam(params, 'reply_markup')
  if (params.reply_markup !== undefined && !markup)
    return answer(state, request, reply, 400, telegramError(400, "Bad Request: can't parse reply keyboard markup JSON object"))
  const keyboard = markup ? checkInlineKeyboard(markup) : undefined
  if (keyboard?.problem) return answer(state, request, reply, 400, telegramError(400, keyboard.problem))
  const replyTo = Number(objectParam(params, 'reply_parameters')?.message_id ?? stringParam(params, 'reply_to_message_id')) || undefined
  const message = buildTelegramSentMessage({
    messageId: nextTelegramMessageId(),
    bot: buildTelegramBotUser(account.externalId, account.handle),
    chatId: Number(chatId),
    text,
    at: new Date(),
    replyToMessageId: replyTo,
    ...(keyboard?.keyboard && { inlineKeyboard: keyboard.keyboard }),
  })
  const platformMessageId = `${chatId}:${message.message_id}`
  if (keyboard?.options) {
    const { options } = keyboard
    rememberChoices(state, {
      kind: 'telegram',
      accountExternalId: account.externalId,
      messageId: platformMessageId,
      recipientId: chatId,
      control: 'inline_keyboard',
      options,
      telegramMessage: structuredClone(message),
    })
  }
  return answer(state, request, reply, 200, { ok: true, result: message }, { platformMessageId })
}

/**
 * The bot answers a callback query: once, while Telegram still waits for it (a query answered already, or never
 * delivered to this bot, is refused as Telegram refuses an old one). `text` ≤ 200 characters shows as a notice.
 */
function answerCallbackQuery(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const query = state.callbackQueries.get(stringParam(params, 'callback_query_id'))
  if (!query || query.accountExternalId !== account.externalId || query.isAnswered) {
    return answer(state, request, reply, 400, telegramError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid'))
  }
  if (Array.from(stringParam(params, 'text')).length > 200) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: MESSAGE_TOO_LONG'))
  query.isAnswered = true
  return answer(state, request, reply, 200, { ok: true, result: true })
}

/**
 * Replaces the inline keyboard of a message the bot sent with one (no `reply_markup`, or an empty keyboard, removes
 * it): the edited Message answers. Only messages sent with a keyboard are known here; others are "not found".
 */
function editMessageReplyMarkup(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const chatId = stringParam(params, 'chat_id')
  const messageId = stringParam(params, 'message_id')
  if (stringParam(params, 'inline_message_id')) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: message to edit not found'))
  if (!chatId) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: chat_id is empty'))
  if (!messageId) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: message identifier is not specified'))
  const sent = state.choices.get(`${chatId}:${messageId}`)
  const message = sent?.accountExternalId === account.externalId ? sent.telegramMessage : undefined
  if (!sent || !message) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: message to edit not found'))
  const markup = params.reply_markup === undefined ? { inline_keyboard: [] } : objectParam(params, 'reply_markup')
  if (!markup) return answer(state, request, reply, 400, telegramError(400, "Bad Request: can't parse reply keyboard markup JSON object"))
  const keyboard = checkInlineKeyboard(markup)
  if (keyboard.problem) return answer(state, request, reply, 400, telegramError(400, keyboard.problem))
  const rows = (keyboard.keyboard ?? []).filter((row) => row.length > 0)
  if (JSON.stringify(rows) === JSON.stringify(message.reply_markup?.inline_keyboard ?? [])) {
    const description =
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'
    return answer(state, request, reply, 400, telegramError(400, description))
  }
  if (rows.length > 0) message.reply_markup = { inline_keyboard: rows }
  else delete message.reply_markup
  sent.options = keyboard.options
  sent.isSpent = keyboard.options.length === 0
  return answer(state, request, reply, 200, { ok: true, result: message }, { platformMessageId: `${chatId}:${messageId}` })
}

const mb = 1024 * 1024
/** Bot API upload limits: photos 10 MB, other files 50 MB (https://core.telegram.org/bots/api#sending-files). */
const maxUploadBytes: Record<TelegramSentFile['field'], number> = { photo: 10 * mb, video: 50 * mb, audio: 50 * mb, document: 50 * mb }
/** The first characters of a file_id say what it is (photo, video, audio, document), as Telegram's do. */
const fileIdPrefixes: Record<TelegramSentFile['field'], string> = {
  photo: 'AgACAgIAAxkBAA',
  video: 'BAACAgIAAxkBAA',
  audio: 'CQACAgIAAxkBAA',
  document: 'BQACAgIAAxkBAA',
}

/**
 * sendPhoto, sendVideo, sendAudio, sendDocument: the file as a multipart part named after the method (`photo`,
 * …), or the file_id of one the bot sent before; `caption` up to 1,024 characters. A photo must be a picture
 * Telegram can recompress.
 */
function sendFile(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount, field: TelegramSentFile['field']) {
  const params = requestParams(request)
  const chatId = stringParam(params, 'chat_id')
  const caption = stringParam(params, 'caption')
  if (!chatId) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: chat_id is empty'))
  if (!/^-?\d+$/.test(chatId)) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: chat not found'))
  if (caption.length > 1024) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: message caption is too long'))
  const given = params[field]
  let media: SimMedia | undefined
  if (isFormFile(given)) {
    if (given.data.length === 0) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: file must be non-empty'))
    if (given.data.length > maxUploadBytes[field]) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: file is too big'))
    if (field === 'photo' && !isImage(given.data)) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: IMAGE_PROCESS_FAILED'))
    const fileId = fileIdPrefixes[field] + randomBytes(48).toString('base64url')
    media = storeMedia(state, account, { id: fileId, name: given.filename, mimeType: given.mimeType || 'application/octet-stream', bytes: given.data })
  } else if (typeof given === 'string' && given) {
    // A file_id the bot got before; URLs are not fetched here.
    media = ownMedia(state, account, given)
    if (!media) return answer(state, request, reply, 400, telegramError(400, 'Bad Request: wrong file identifier/HTTP URL specified'))
  } else {
    return answer(state, request, reply, 400, telegramError(400, `Bad Request: there is no ${field} in the request`))
  }
  const replyTo = Number(objectParam(params, 'reply_parameters')?.message_id ?? stringParam(params, 'reply_to_message_id')) || undefined
  const file: TelegramSentFile = {
    field,
    fileId: media.id,
    fileUniqueId: `AgAD${media.sha256.slice(0, 12)}`,
    ...(media.name ? { name: media.name } : {}),
    mimeType: media.mimeType,
    size: media.size,
  }
  const message = buildTelegramSentMessage({
    messageId: nextTelegramMessageId(),
    bot: buildTelegramBotUser(account.externalId, account.handle),
    chatId: Number(chatId),
    text: caption,
    at: new Date(),
    replyToMessageId: replyTo,
    file,
  })
  return answer(
    state,
    request,
    reply,
    200,
    { ok: true, result: message },
    { platformMessageId: `${chatId}:${message.message_id}`, media: recordedMedia(media, caption ? { caption } : {}) },
  )
}

function setWebhook(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const params = requestParams(request)
  const url = stringParam(params, 'url')
  const secret = stringParam(params, 'secret_token')
  if (secret && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
    return answer(state, request, reply, 400, telegramError(400, 'Bad Request: secret token contains unallowed characters'))
  }
  if (url && !/^https?:\/\//.test(url)) {
    return answer(state, request, reply, 400, telegramError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook'))
  }
  const feed = telegramFeed(state, account.externalId)
  if (stringParam(params, 'drop_pending_updates') === 'true') feed.updates.length = 0
  account.webhookUrl = url || undefined
  if (secret) account.secrets.webhookSecret = secret
  for (const listener of feed.listeners) listener()
  if (account.webhookUrl && feed.updates.length > 0) {
    // Pending updates go out over the new webhook, one per POST, in order.
    const pending: TelegramUpdate[] = feed.updates.splice(0)
    runInBackground(state, async () => {
      for (const update of pending) await deliverOrQueueTelegram(state, account, update)
    })
  }
  return answer(state, request, reply, 200, { ok: true, result: true, description: url ? 'Webhook was set' : 'Webhook was deleted' })
}

function getWebhookInfo(state: SimState, request: FastifyRequest, reply: FastifyReply, account: SimAccount) {
  const feed = telegramFeed(state, account.externalId)
  return answer(state, request, reply, 200, {
    ok: true,
    result: {
      url: account.webhookUrl ?? '',
      has_custom_certificate: false,
      pending_update_count: feed.updates.length,
      max_connections: 40,
      ip_address: '127.0.0.1',
      ...(feed.lastError ? { last_error_date: Math.floor(feed.lastError.at.getTime() / 1000), last_error_message: feed.lastError.message } : {}),
    },
  })
}
