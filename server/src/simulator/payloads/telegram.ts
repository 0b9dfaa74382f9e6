import { firstRisingId, stableNumericId } from '../ids.js'
import type { ResolvedMessage } from '../types.js'

/** Telegram Bot API objects. https://core.telegram.org/bots/api#update */

export interface TelegramUser {
  id: number
  is_bot: boolean
  first_name: string
  last_name?: string
  username?: string
  language_code?: string
}

export interface TelegramChat {
  id: number
  type: 'private' | 'group' | 'supergroup' | 'channel'
  title?: string
  first_name?: string
  last_name?: string
  username?: string
}

export interface TelegramMessage {
  message_id: number
  from?: TelegramUser
  chat: TelegramChat
  date: number
  text?: string
  caption?: string
  entities?: { type: string; offset: number; length: number }[]
  caption_entities?: { type: string; offset: number; length: number }[]
  photo?: { file_id: string; file_unique_id: string; width: number; height: number; file_size: number }[]
  video?: TelegramFile & { width: number; height: number; duration: number }
  audio?: TelegramFile & { duration: number }
  document?: TelegramFile
  reply_to_message?: Omit<TelegramMessage, 'reply_to_message'>
  /** An inline keyboard the bot sent with the message, as it is now. */
  reply_markup?: { inline_keyboard: TelegramInlineButton[][] }
}

/** One inline keyboard button: its text and exactly one action (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
export interface TelegramInlineButton {
  text: string
  callback_data?: string
  url?: string
  [action: string]: unknown
}

/** Document, Audio and Video share these fields (https://core.telegram.org/bots/api#document). */
export interface TelegramFile {
  file_id: string
  file_unique_id: string
  file_name?: string
  mime_type?: string
  file_size: number
}

/** A file a bot sent (sendPhoto, sendVideo, sendAudio, sendDocument), as its Message names it. */
export interface TelegramSentFile {
  field: 'photo' | 'video' | 'audio' | 'document'
  fileId: string
  fileUniqueId: string
  name?: string
  mimeType: string
  size: number
}

export interface TelegramUpdate {
  update_id: number
  message?: TelegramMessage
  [field: string]: unknown
}

let lastMessageId = firstRisingId()

/** message_id: increasing in every chat (one counter serves all chats of all bots), across restarts too. */
export function nextTelegramMessageId(): number {
  lastMessageId += 1
  return lastMessageId
}

/** The group a 'mention' or 'comment' arrives from: a supergroup where the bot is @mentioned. */
export const telegramCommunityChat: TelegramChat = { id: -1001234567890, type: 'supergroup', title: 'Customer community' }

export function telegramUser(from: ResolvedMessage['from']): TelegramUser {
  const [first = from.name, ...rest] = from.name.split(' ')
  return {
    id: Number(from.id),
    is_bot: false,
    first_name: first,
    ...(rest.length > 0 ? { last_name: rest.join(' ') } : {}),
    ...(from.handle ? { username: from.handle.replace(/^@/, '') } : {}),
    ...(from.language ? { language_code: from.language } : {}),
  }
}

function privateChat(user: TelegramUser): TelegramChat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name ? { last_name: user.last_name } : {}),
    ...(user.username ? { username: user.username } : {}),
  }
}

function photoSize(url: string, size: string, width: number, height: number, fileSize: number) {
  return { file_id: `AgAC${stableNumericId(url, 20)}${size}`, file_unique_id: `AQAD${stableNumericId(url, 8)}${size}`, width, height, file_size: fileSize }
}

/** UTF-16 offsets, as Telegram counts entity offsets. */
function mentionEntities(text: string, botUsername?: string) {
  if (!botUsername) return undefined
  const offset = text.indexOf(`@${botUsername}`)
  return offset < 0 ? undefined : [{ type: 'mention', offset, length: botUsername.length + 1 }]
}

export function buildTelegramUpdate(input: { updateId: number; messageId: number; botUsername?: string; message: ResolvedMessage }): TelegramUpdate {
  const { message, botUsername } = input
  const user = telegramUser(message.from)
  const isPublic = message.kind !== 'dm'
  const chat = isPublic ? telegramCommunityChat : privateChat(user)
  const text = isPublic && botUsername && !message.text.includes(`@${botUsername}`) ? `@${botUsername} ${message.text}` : message.text
  const entities = isPublic ? mentionEntities(text, botUsername) : undefined
  const image = message.attachments?.[0]
  const date = Math.floor(message.at.getTime() / 1000)
  const content = image
    ? {
        photo: [photoSize(image.url, 's', 90, 67, 1440), photoSize(image.url, 'm', 1280, 960, 98304)],
        ...(text ? { caption: text } : {}),
        ...(entities ? { caption_entities: entities } : {}),
      }
    : { text, ...(entities ? { entities } : {}) }
  return {
    update_id: input.updateId,
    message: {
      message_id: input.messageId,
      from: user,
      chat,
      date,
      ...content,
      ...(message.replyToId ? { reply_to_message: { message_id: Number(message.replyToId), chat, date: date - 60 } } : {}),
    },
  }
}

/**
 * A tap on an inline button of the bot's `message` (https://core.telegram.org/bots/api#callbackquery): `message`
 * carries the keyboard as it is now; chat_instance is stable per chat.
 */
export function buildTelegramCallbackQuery(input: {
  updateId: number
  queryId: string
  from: ResolvedMessage['from']
  message: TelegramMessage
  data: string
}): TelegramUpdate {
  return {
    update_id: input.updateId,
    callback_query: {
      id: input.queryId,
      from: telegramUser(input.from),
      message: input.message,
      chat_instance: `-${stableNumericId(`chat_instance:${input.message.chat.id}`, 19, '7')}`,
      data: input.data,
    },
  }
}

export function buildTelegramBotUser(botId: string, username?: string): TelegramUser {
  return { id: Number(botId), is_bot: true, first_name: username ?? 'Care bot', username: username ?? `care_${botId}_bot` }
}

/** The Message sendMessage answers with; with `file`, the one sendPhoto, sendVideo, sendAudio or sendDocument answers with (`text` is its caption). */
export function buildTelegramSentMessage(input: {
  messageId: number
  bot: TelegramUser
  chatId: number
  text: string
  at: Date
  replyToMessageId?: number
  file?: TelegramSentFile
  /** An inline keyboard sent with it: Telegram hands it back on the Message. */
  inlineKeyboard?: TelegramInlineButton[][]
}): TelegramMessage {
  const chat: TelegramChat = input.chatId < 0 ? { ...telegramCommunityChat, id: input.chatId } : { id: input.chatId, type: 'private' }
  const date = Math.floor(input.at.getTime() / 1000)
  return {
    message_id: input.messageId,
    from: input.bot,
    chat,
    date,
    ...(input.file ? { ...sentFileContent(input.file), ...(input.text ? { caption: input.text } : {}) } : { text: input.text }),
    ...(input.replyToMessageId ? { reply_to_message: { message_id: input.replyToMessageId, chat, date } } : {}),
    ...(input.inlineKeyboard ? { reply_markup: { inline_keyboard: input.inlineKeyboard } } : {}),
  }
}

function sentFileContent(file: TelegramSentFile): Partial<TelegramMessage> {
  const base = { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.size }
  const named = { ...base, ...(file.name ? { file_name: file.name } : {}), mime_type: file.mimeType }
  switch (file.field) {
    case 'photo':
      // Telegram keeps a photo as a few recompressed sizes and forgets its name; the last is the largest.
      return {
        photo: [
          { file_id: `${file.fileId}s`, file_unique_id: `${file.fileUniqueId}s`, width: 90, height: 67, file_size: Math.min(file.size, 1440) },
          { ...base, width: 1280, height: 960 },
        ],
      }
    case 'video':
      return { video: { ...named, width: 1280, height: 720, duration: 12 } }
    case 'audio':
      return { audio: { ...named, duration: 95 } }
    case 'document':
      return { document: named }
  }
}
