/**
 * Telegram Bot API (https://core.telegram.org/bots/api): a bot receives updates by webhook or by getUpdates
 * polling (one or the other, never both) and answers with sendMessage. Chats with a Telegram Business account
 * arrive as business_message updates and are answered through the same bot.
 *
 * A question with answers (OutboundChoices) goes with an inline keyboard; a tap arrives as a callback_query, parsed
 * into the customer's message with its `choice`, and `acknowledge` then answers the query and removes the keyboard
 * (specs/outreach.md §2.2).
 */
import { timingSafeEqual } from 'node:crypto'
import {
  type Attachment,
  type ChannelRuntime,
  type Connector,
  ConnectorError,
  type ExternalContact,
  type InboundEvent,
  type OutboundFile,
  type OutboundMessage,
  type PollResult,
  UnsupportedPayloadError,
} from '../connector.js'
import { parseSurveyChoice } from '@carebox/shared'
import { checkedChoices, choicesRefused } from '../choices.js'
import { bodyKey, isRecord } from '../payload.js'
import { fileBlob, platformError, platformFetch, unreadableAnswer, type PlatformResponse } from '../http.js'
import { checkTelegramConnection, registerTelegramWebhook } from './telegram.connection.js'
import {
  telegramAllowedUpdates,
  type TelegramCallbackQuery,
  type TelegramChat,
  type TelegramDeletedBusinessMessages,
  type TelegramMessage,
  type TelegramMessageReaction,
  type TelegramResponse,
  type TelegramUpdate,
  type TelegramUser,
} from './telegram.payloads.js'

const pageSize = 100
/** The Bot API answers sendMessage within a second: 5 s is far past a healthy answer. */
const sendTimeoutMs = 5_000

/** What we ask getUpdates for (setWebhook asks for the same). */
const allowedUpdates = telegramAllowedUpdates

/** Update kinds we know and have no use for in a care inbox: parsed into no events. */
const ignoredUpdateKinds = new Set([
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
])

export const telegramConnector: Connector = {
  kind: 'telegram',

  verifyWebhook(request, channel) {
    const expected = channel.secrets.webhookSecret
    const given = request.headers['x-telegram-bot-api-secret-token']
    if (!expected || given === undefined) return false
    return safeEqual(given, expected)
  },

  dedupeKey(payload, rawBody) {
    const updateId = isRecord(payload) ? payload.update_id : undefined
    // A body without update_id is still stored (and dead-lettered by parse), keyed by its bytes.
    return typeof updateId === 'number' ? `update:${updateId}` : bodyKey(rawBody)
  },

  parse(payload, channel) {
    if (!isRecord(payload) || typeof payload.update_id !== 'number') {
      throw new UnsupportedPayloadError('Telegram update without a numeric update_id')
    }
    const update = payload as TelegramUpdate
    const kind = Object.keys(update).find((key) => key !== 'update_id')
    switch (kind) {
      case 'message':
      case 'business_message':
        return [parseMessage(checkMessage(update[kind], kind), channel)]
      case 'edited_message':
      case 'edited_business_message': {
        const message = checkMessage(update[kind], kind)
        return [
          {
            type: 'edit',
            externalId: messageId(message.chat.id, message.message_id),
            text: message.text ?? message.caption ?? '',
            at: isoFromSeconds(message.edit_date ?? message.date),
          },
        ]
      }
      case 'deleted_business_messages':
        return parseDeletion(update.deleted_business_messages)
      case 'message_reaction':
        return parseReaction(update.message_reaction)
      case 'my_chat_member':
        // The customer blocked or unblocked the bot in a private chat (or added/removed it in a group). It is
        // no message; a blocked bot shows up as a clear, non-retryable error when we next send.
        return []
      case 'callback_query':
        return parseCallbackQuery(update.callback_query)
      default:
        if (kind && ignoredUpdateKinds.has(kind)) return []
        throw new UnsupportedPayloadError(`Telegram update of unknown kind ${kind ?? '(none)'}`)
    }
  },

  async send(message, channel) {
    const chatId = chatIdOf(message)
    const { file } = message
    // With a file, the text goes as its caption.
    const body: Record<string, unknown> = file ? { chat_id: chatId } : { chat_id: chatId, text: message.text }
    const replyTo = message.replyToExternalId?.split(':').at(-1)
    if (replyTo && /^\d+$/.test(replyTo)) {
      // Still deliver the answer when the customer has deleted the message it quotes.
      body.reply_parameters = { message_id: Number(replyTo), allow_sending_without_reply: true }
    }
    const businessConnectionId = message.replyContext?.businessConnectionId
    if (businessConnectionId) body.business_connection_id = businessConnectionId
    if (message.choices) body.reply_markup = inlineKeyboard(message)

    const response = file
      ? await callBotApiWithFile(channel, fileMethods[fileMethodOf(file)], body, message.text, file)
      : await callBotApi(channel, 'sendMessage', body, sendTimeoutMs)
    const answer = response.body as TelegramResponse<TelegramMessage>
    if (response.status === 200 && isRecord(answer) && answer.ok && !isRecord(answer.result)) {
      throw unreadableAnswer(response, 'Telegram accepted the message but did not say which message it became')
    }
    if (response.status !== 200 || !answer.ok || !answer.result) throw sendError(response)
    return { externalId: messageId(answer.result.chat?.id ?? chatId, answer.result.message_id) }
  },

  sendTimeoutMs,

  checkConnection: checkTelegramConnection,
  registerWebhook: registerTelegramWebhook,

  /**
   * A tapped inline button (an event parse made of a callback_query): answerCallbackQuery stops the spinner the
   * customer's app shows until the bot answers, then editMessageReplyMarkup removes the keyboard so the question
   * cannot be answered twice. Other events need nothing. Telegram's "already done" answers (an old or answered
   * query, a keyboard already gone) count as done, so a redelivered tap is acknowledged again harmlessly.
   */
  async acknowledge(event, channel) {
    const tap = event.type === 'message' ? tappedButton(event) : undefined
    if (!tap) return
    const failures: unknown[] = []
    const steps = [
      () => callBotApiOnce(channel, 'answerCallbackQuery', { callback_query_id: tap.queryId }, staleQuery),
      () =>
        tap.message
          ? callBotApiOnce(
              channel,
              'editMessageReplyMarkup',
              {
                chat_id: tap.message.chatId,
                message_id: tap.message.messageId,
                ...(tap.businessConnectionId && { business_connection_id: tap.businessConnectionId }),
                reply_markup: { inline_keyboard: [] },
              },
              keyboardGone,
            )
          : Promise.resolve(),
    ]
    // The keyboard goes even when the spinner could not be stopped, and the other way round.
    for (const step of steps) await step().catch((error: unknown) => failures.push(error))
    if (failures.length > 0) throw failures[0]
  },

  // A bot never receives its own messages, and sendMessage takes no idempotency key: nothing can tell.
  unknownOutcome(message) {
    const unknown = 'Telegram never shows a bot the messages it sent, so Carebox cannot tell whether this one went out.'
    if (message.replyContext?.businessConnectionId) {
      return { kind: 'ask', check: `${unknown} Before sending it again, look at the chat in the business account's Telegram app.` }
    }
    if (message.conversationKind === 'public') {
      return { kind: 'ask', check: `${unknown} Before sending it again, look at the group in Telegram.` }
    }
    // Nobody can read a bot's private chat but the customer.
    return { kind: 'ask', check: `${unknown} A bot's private chats cannot be viewed in Telegram: ask the customer whether it arrived before sending it again.` }
  },

  async poll(cursor, channel): Promise<PollResult> {
    const { offset, isConfirming } = readPollCursor(cursor)
    const body: Record<string, unknown> = { limit: pageSize, timeout: 0, allowed_updates: allowedUpdates }
    // Telegram deletes every update below `offset` when getUpdates is called with it, so an offset is sent only to
    // confirm the updates the previous poll took: by then the scheduler has committed their envelopes and stored the
    // cursor (a crash in between re-delivers them: at-least-once, deduped by update_id). Once a poll comes back
    // empty, the next ones ask without an offset, which confirms nothing: if Telegram's ids moved backwards
    // meanwhile (after a week without updates it picks the next id at random), those updates are read, not lost.
    if (isConfirming) body.offset = offset

    const response = await callBotApi(channel, 'getUpdates', body)
    const answer = response.body as TelegramResponse<TelegramUpdate[]>
    if (response.status === 409) throw conflictError(answer)
    if (response.status !== 200 || !answer.ok || !Array.isArray(answer.result)) {
      throw telegramError(response, `Telegram getUpdates failed: ${describe(response)}`)
    }

    const updates = [...answer.result].sort((a, b) => a.update_id - b.update_id)
    const first = updates[0]
    const last = updates.at(-1)
    // Everything below the offset was confirmed: nothing is left to confirm until something new comes.
    if (!first || !last) return { envelopes: [], cursor: isConfirming ? `${idleCursorPrefix}${offset}` : null, hasMore: false }
    const isBehind = offset !== null && first.update_id < offset
    return {
      envelopes: updates.map((update) => ({ dedupeKey: `update:${update.update_id}`, payload: update })),
      cursor: String(last.update_id + 1),
      hasMore: updates.length >= pageSize,
      ...(isBehind && {
        cursorReset: `Telegram's update ids moved backwards (the next one expected was ${offset}, Telegram sent ${first.update_id}): reading on from Telegram's`,
      }),
    }
  },
}

/**
 * The poll cursor: the next update_id, as the offset that confirms what the last poll took (`"<id>"`), or, after a
 * poll that found nothing, with everything below it confirmed already (`"idle:<id>"`).
 */
const idleCursorPrefix = 'idle:'

function readPollCursor(cursor: string | null): { offset: number | null; isConfirming: boolean } {
  if (cursor === null) return { offset: null, isConfirming: false }
  const isIdle = cursor.startsWith(idleCursorPrefix)
  const offset = Number(isIdle ? cursor.slice(idleCursorPrefix.length) : cursor)
  // A cursor this code never wrote: ask without an offset, which drops nothing.
  if (!Number.isSafeInteger(offset)) return { offset: null, isConfirming: false }
  return { offset, isConfirming: !isIdle }
}

function parseMessage(message: TelegramMessage, channel: ChannelRuntime): InboundEvent {
  const { chat } = message
  const isPrivate = chat.type === 'private'
  const author = message.from
  // In a private chat the customer is the chat itself; anyone else writing there is our side: the bot, or the
  // owner of a Telegram Business account answering from their own app.
  const isEcho = author !== undefined && (String(author.id) === channel.externalId || (isPrivate && author.id !== chat.id))
  // A message sent on behalf of a chat (anonymous group admin, linked channel) carries a placeholder `from`:
  // the chat in sender_chat is the real author.
  const contact = isPrivate
    ? isEcho
      ? contactFromChat(chat)
      : contactFromUser(author ?? { id: chat.id })
    : message.sender_chat
      ? contactFromChat(message.sender_chat)
      : contactFromUser(author ?? { id: chat.id })

  const event: InboundEvent = {
    type: 'message',
    externalId: messageId(chat.id, message.message_id),
    threadKey: isPrivate ? `dm:${chat.id}` : `group:${chat.id}`,
    conversationKind: isPrivate ? 'dm' : 'public',
    direction: isEcho ? 'echo' : 'inbound',
    contact,
    text: message.text ?? message.caption ?? '',
    attachments: attachmentsOf(message),
    sentAt: isoFromSeconds(message.date),
  }
  if (message.reply_to_message) event.replyToExternalId = messageId(chat.id, message.reply_to_message.message_id)
  if (!isPrivate) event.subject = chat.title ?? `Telegram group ${chat.id}`
  // Replies into a business chat must name the business connection (sendMessage.business_connection_id).
  if (message.business_connection_id) event.replyContext = { businessConnectionId: message.business_connection_id }
  return event
}

/**
 * A tap on one of our inline buttons: the customer's message in the chat the keyboard is in, answering that
 * message, with the tapped button's text (the option's title) and its callback_data as `choice`. The query carries
 * no time of its own (the message's date is when we asked), so the tap is dated when it is read. Key on `data`,
 * not on the message, which is only an id and date 0 once too old.
 */
function parseCallbackQuery(query: TelegramCallbackQuery | undefined): InboundEvent[] {
  if (!isRecord(query) || typeof query.id !== 'string' || !isRecord(query.from) || typeof query.from.id !== 'number') {
    throw new UnsupportedPayloadError('Telegram callback_query without id or from')
  }
  const { message, data } = query
  // A game button carries no data, and a message sent in inline mode no chat: Carebox sends neither.
  if (typeof data !== 'string' || !isRecord(message) || !isRecord(message.chat) || typeof message.chat.id !== 'number') return []
  // Only taps on Carebox's own answer buttons are a customer's message; any other keyboard's are not ours to read.
  if (!parseSurveyChoice(data)) return []
  if (typeof message.message_id !== 'number') throw new UnsupportedPayloadError('Telegram callback_query message without message_id')
  const { chat } = message
  const isPrivate = chat.type === 'private'
  const button = message.reply_markup?.inline_keyboard?.flat().find((candidate) => candidate.callback_data === data)
  const event: InboundEvent = {
    type: 'message',
    externalId: `${callbackPrefix}${query.id}`,
    threadKey: isPrivate ? `dm:${chat.id}` : `group:${chat.id}`,
    conversationKind: isPrivate ? 'dm' : 'public',
    direction: 'inbound',
    contact: contactFromUser(query.from),
    text: button?.text || data,
    attachments: [],
    sentAt: new Date().toISOString(),
    replyToExternalId: messageId(chat.id, message.message_id),
    choice: data,
  }
  if (!isPrivate) event.subject = chat.title ?? `Telegram group ${chat.id}`
  if (message.business_connection_id) event.replyContext = { businessConnectionId: message.business_connection_id }
  return [event]
}

/** The externalId of a tap starts with this, then the callback query's id. */
const callbackPrefix = 'cb:'

interface TappedButton {
  queryId: string
  /** The message carrying the keyboard, from the event's replyToExternalId (`<chat id>:<message_id>`). */
  message?: { chatId: number; messageId: number }
  businessConnectionId?: string
}

/** What acknowledging a tap needs, read back from the event parseCallbackQuery made; undefined for other events. */
function tappedButton(event: Extract<InboundEvent, { type: 'message' }>): TappedButton | undefined {
  if (!event.externalId.startsWith(callbackPrefix) || event.choice === undefined) return undefined
  const ids = /^(-?\d+):(\d+)$/.exec(event.replyToExternalId ?? '')
  const businessConnectionId = event.replyContext?.businessConnectionId
  return {
    queryId: event.externalId.slice(callbackPrefix.length),
    ...(ids && { message: { chatId: Number(ids[1]), messageId: Number(ids[2]) } }),
    ...(businessConnectionId && { businessConnectionId }),
  }
}

/** The keyboard, one row of buttons, each carrying its option's id back as callback_data (1–64 bytes). */
function inlineKeyboard(message: OutboundMessage): { inline_keyboard: { text: string; callback_data: string }[][] } {
  // In a group anyone could tap the buttons and answer for the customer.
  if (message.conversationKind === 'public') throw choicesRefused('A Telegram group has no answer buttons for one customer: ask the question in words')
  // Telegram takes up to 100 buttons in a keyboard (unverified); the ids' 64 bytes are the limit that matters.
  const { options } = checkedChoices(message, { platform: 'Telegram', maxOptions: 100, maxIdBytes: 64 })
  return { inline_keyboard: [options.map((option) => ({ text: option.title, callback_data: option.id }))] }
}

/** answerCallbackQuery on a query answered already, or too old to answer: nothing is left to do. */
const staleQuery = /query is too old|query id is invalid/i
/** editMessageReplyMarkup where the keyboard is already gone, or the message can no longer be edited. */
const keyboardGone = /message is not modified|message to edit not found|message can't be edited/i

/** One Bot API call whose result is not needed: a 400 matching `isDone` counts as success. */
async function callBotApiOnce(channel: ChannelRuntime, method: string, body: object, isDone: RegExp): Promise<void> {
  const response = await callBotApi(channel, method, body, sendTimeoutMs)
  const answer = errorBody(response)
  if (response.status === 200 && answer.ok) return
  if (response.status === 400 && isDone.test(answer.description ?? '')) return
  throw telegramError(response, `Telegram ${method} failed: ${describe(response)}`)
}

function parseDeletion(deleted: TelegramDeletedBusinessMessages | undefined): InboundEvent[] {
  if (!isRecord(deleted) || !isRecord(deleted.chat) || !Array.isArray(deleted.message_ids)) {
    throw new UnsupportedPayloadError('Telegram deleted_business_messages without chat or message_ids')
  }
  // Telegram sends no time for a deletion: the moment we read it is the closest we have.
  const at = new Date().toISOString()
  return deleted.message_ids.map((id) => ({ type: 'delete', externalId: messageId(deleted.chat.id, id), at }))
}

function parseReaction(reaction: TelegramMessageReaction | undefined): InboundEvent[] {
  if (!isRecord(reaction) || !isRecord(reaction.chat) || !Array.isArray(reaction.new_reaction) || !Array.isArray(reaction.old_reaction)) {
    throw new UnsupportedPayloadError('Telegram message_reaction without chat or reaction lists')
  }
  const actor = reaction.user?.id ?? reaction.actor_chat?.id
  if (actor === undefined) throw new UnsupportedPayloadError('Telegram message_reaction without user or actor_chat')
  // Only Unicode emoji have a meaning outside Telegram; custom and paid reactions are left out.
  const emojis = (list: TelegramMessageReaction['new_reaction']) => list.flatMap((r) => (r.type === 'emoji' ? [r.emoji] : []))
  const before = emojis(reaction.old_reaction)
  const after = emojis(reaction.new_reaction)
  const base = { externalId: messageId(reaction.chat.id, reaction.message_id), contactExternalId: String(actor), at: isoFromSeconds(reaction.date) }
  return [
    ...before.filter((emoji) => !after.includes(emoji)).map((emoji): InboundEvent => ({ type: 'reaction', ...base, emoji, action: 'unreact' })),
    ...after.filter((emoji) => !before.includes(emoji)).map((emoji): InboundEvent => ({ type: 'reaction', ...base, emoji, action: 'react' })),
  ]
}

function attachmentsOf(message: TelegramMessage): Attachment[] {
  const attachments: Attachment[] = []
  const add = (kind: Attachment['kind'], file: { file_id: string; file_name?: string; mime_type?: string }) => {
    const attachment: Attachment = { kind, mediaId: file.file_id }
    if (file.file_name) attachment.name = file.file_name
    if (file.mime_type) attachment.mimeType = file.mime_type
    attachments.push(attachment)
  }
  // PhotoSize[] lists the same picture in growing sizes: the last is the original.
  const photo = message.photo?.at(-1)
  if (photo) add('image', photo)
  if (message.animation) add('video', message.animation)
  // An animation is also sent as `document` for older clients: one attachment is enough.
  else if (message.document) add('file', message.document)
  if (message.video) add('video', message.video)
  if (message.video_note) add('video', message.video_note)
  if (message.voice) add('audio', message.voice)
  if (message.audio) add('audio', message.audio)
  if (message.sticker) add('sticker', message.sticker)
  const location = message.venue?.location ?? message.location
  if (location) {
    const attachment: Attachment = { kind: 'location', url: `geo:${location.latitude},${location.longitude}` }
    if (message.venue?.title) attachment.name = message.venue.title
    attachments.push(attachment)
  }
  return attachments
}

function checkMessage(value: unknown, kind: string): TelegramMessage {
  if (
    !isRecord(value) ||
    typeof value.message_id !== 'number' ||
    typeof value.date !== 'number' ||
    !isRecord(value.chat) ||
    typeof value.chat.id !== 'number'
  ) {
    throw new UnsupportedPayloadError(`Telegram ${kind} without message_id, date or chat.id`)
  }
  return value as unknown as TelegramMessage
}

function contactFromUser(user: TelegramUser): ExternalContact {
  const contact: ExternalContact = { externalId: String(user.id) }
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ')
  if (name) contact.name = name
  if (user.username) contact.handle = user.username
  if (user.language_code) contact.language = user.language_code
  return contact
}

function contactFromChat(chat: TelegramChat): ExternalContact {
  const contact: ExternalContact = { externalId: String(chat.id) }
  const name = chat.title ?? [chat.first_name, chat.last_name].filter(Boolean).join(' ')
  if (name) contact.name = name
  if (chat.username) contact.handle = chat.username
  return contact
}

function chatIdOf(message: OutboundMessage): number | string {
  const fromThread = /^(?:dm|group):(-?\d+)$/.exec(message.threadKey)?.[1]
  const id = fromThread ?? message.recipient.externalId
  // chat_id is an Integer, or a String for @channelusername.
  return /^-?\d+$/.test(id) ? Number(id) : id
}

async function callBotApi(channel: ChannelRuntime, method: string, body: object, timeoutMs?: number): Promise<PlatformResponse> {
  const token = channel.secrets.botToken
  if (!token) throw new ConnectorError('The Telegram channel has no bot token', { retryable: false, outcome: 'not_sent' })
  return platformFetch(`${channel.config.apiBaseUrl}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(timeoutMs !== undefined && { timeoutMs }),
  })
}

/** The Bot API method that sends a file of this kind, and the multipart field that carries it. */
const fileMethods = {
  photo: { method: 'sendPhoto', field: 'photo' },
  video: { method: 'sendVideo', field: 'video' },
  audio: { method: 'sendAudio', field: 'audio' },
  document: { method: 'sendDocument', field: 'document' },
} as const

function fileMethodOf(file: OutboundFile): keyof typeof fileMethods {
  // A GIF sent as a photo loses its animation: it goes as a document (shared/src/files.ts lists it under 'file').
  if (file.kind === 'image') return file.mimeType === 'image/gif' ? 'document' : 'photo'
  return file.kind === 'file' ? 'document' : file.kind
}

/**
 * sendPhoto, sendVideo, sendAudio, sendDocument as multipart/form-data: the file under the method's own field (with
 * its name and type), the text as `caption`, the other parameters as fields (objects as JSON).
 * https://core.telegram.org/bots/api#sending-files
 */
async function callBotApiWithFile(
  channel: ChannelRuntime,
  { method, field }: (typeof fileMethods)[keyof typeof fileMethods],
  params: Record<string, unknown>,
  caption: string,
  file: OutboundFile,
): Promise<PlatformResponse> {
  const token = channel.secrets.botToken
  if (!token) throw new ConnectorError('The Telegram channel has no bot token', { retryable: false, outcome: 'not_sent' })
  const form = new FormData()
  for (const [name, value] of Object.entries(params)) form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value))
  if (caption) form.append('caption', caption)
  form.append(field, fileBlob(file), file.name)
  return platformFetch(`${channel.config.apiBaseUrl}/bot${token}/${method}`, { method: 'POST', body: form, timeoutMs: sendTimeoutMs })
}

function sendError(response: PlatformResponse): ConnectorError {
  const answer = errorBody(response)
  const description = answer.description ?? ''
  const code = answer.error_code ?? response.status
  if (code === 403 && /blocked by the user/i.test(description)) {
    return new ConnectorError('The customer has blocked the bot: Telegram delivers nothing to them until they unblock it', {
      retryable: false,
      platformCode: '403',
      status: response.status,
    })
  }
  if (code === 403) {
    return new ConnectorError(`Telegram does not let the bot write in this chat (${description || 'forbidden'})`, {
      retryable: false,
      platformCode: '403',
      status: response.status,
    })
  }
  const migratedTo = answer.parameters?.migrate_to_chat_id
  if (migratedTo !== undefined) {
    return new ConnectorError(`The group was upgraded to a supergroup with id ${migratedTo}; its new messages arrive as a new conversation`, {
      retryable: false,
      platformCode: String(code),
      status: response.status,
    })
  }
  return telegramError(response, `Telegram refused the message: ${describe(response)}`)
}

function conflictError(answer: TelegramResponse<unknown>): ConnectorError {
  if (/webhook/i.test(answer.description ?? '')) {
    return new ConnectorError(
      'Telegram refuses polling while a webhook is set for this bot: switch the channel to webhook mode, or delete the webhook (deleteWebhook) to poll',
      { retryable: false, platformCode: '409', status: 409 },
    )
  }
  // "terminated by other getUpdates request": another program polls with the same token right now.
  return new ConnectorError('Another program is polling this Telegram bot at the same time; Telegram serves one poller per bot', {
    retryable: true,
    retryAfterMs: 30_000,
    platformCode: '409',
    status: 409,
  })
}

/** platformError, with Telegram's own `parameters.retry_after` (seconds) for 429s. */
function telegramError(response: PlatformResponse, message: string): ConnectorError {
  const answer = errorBody(response)
  const code = answer.error_code !== undefined ? String(answer.error_code) : undefined
  const retryAfter = answer.parameters?.retry_after
  if (response.status === 429 && retryAfter !== undefined) {
    return new ConnectorError(message, { retryable: true, retryAfterMs: retryAfter * 1000, platformCode: code, status: 429 })
  }
  if (response.status === 401) {
    return new ConnectorError('Telegram rejected the bot token', { retryable: false, platformCode: code, status: 401 })
  }
  return platformError(response, message, code)
}

function errorBody(response: PlatformResponse): Partial<TelegramResponse<unknown>> {
  return isRecord(response.body) ? (response.body as Partial<TelegramResponse<unknown>>) : {}
}

function describe(response: PlatformResponse): string {
  const description = isRecord(response.body) ? response.body.description : undefined
  return typeof description === 'string' ? description : `HTTP ${response.status}`
}

function messageId(chatId: number | string, id: number): string {
  return `${chatId}:${id}`
}

function isoFromSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
