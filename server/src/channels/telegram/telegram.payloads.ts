/**
 * The parts of Telegram Bot API objects the connector reads (https://core.telegram.org/bots/api#available-types).
 * Every field is optional or loosely typed where Telegram may omit it: payloads are checked at runtime in parse().
 */
/**
 * The updates Carebox asks Telegram for, by getUpdates or setWebhook: message_reaction is not delivered unless named
 * (Bot API getUpdates.allowed_updates).
 */
export const telegramAllowedUpdates = [
  'message',
  'edited_message',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'callback_query',
  'my_chat_member',
]

export interface TelegramUser {
  id: number
  is_bot?: boolean
  first_name?: string
  last_name?: string
  username?: string
  language_code?: string
}

export interface TelegramChat {
  id: number
  type: 'private' | 'group' | 'supergroup' | 'channel'
  title?: string
  username?: string
  first_name?: string
  last_name?: string
}

export interface TelegramFile {
  file_id: string
  file_unique_id?: string
  file_name?: string
  mime_type?: string
}

export interface TelegramMessage {
  message_id: number
  from?: TelegramUser
  sender_chat?: TelegramChat
  chat: TelegramChat
  date: number
  edit_date?: number
  business_connection_id?: string
  text?: string
  caption?: string
  reply_to_message?: { message_id: number }
  photo?: TelegramFile[]
  document?: TelegramFile
  animation?: TelegramFile
  audio?: TelegramFile
  voice?: TelegramFile
  video?: TelegramFile
  video_note?: TelegramFile
  sticker?: TelegramFile & { emoji?: string }
  location?: { latitude: number; longitude: number }
  venue?: { location: { latitude: number; longitude: number }; title?: string }
  /** The inline keyboard the message carries (on our own messages, handed back in a callback_query). */
  reply_markup?: { inline_keyboard?: TelegramInlineButton[][] }
}

export interface TelegramInlineButton {
  text?: string
  callback_data?: string
}

/**
 * A tap on an inline keyboard button (https://core.telegram.org/bots/api#callbackquery). `message` is the bot's
 * message that carries the keyboard, with date 0 when it is too old to be shown (InaccessibleMessage); messages
 * sent in inline mode come as `inline_message_id` instead.
 */
export interface TelegramCallbackQuery {
  id: string
  from: TelegramUser
  message?: TelegramMessage
  inline_message_id?: string
  chat_instance?: string
  data?: string
  game_short_name?: string
}

export type TelegramReactionType = { type: 'emoji'; emoji: string } | { type: 'custom_emoji'; custom_emoji_id: string } | { type: 'paid' }

export interface TelegramMessageReaction {
  chat: TelegramChat
  message_id: number
  user?: TelegramUser
  actor_chat?: TelegramChat
  date: number
  old_reaction: TelegramReactionType[]
  new_reaction: TelegramReactionType[]
}

export interface TelegramDeletedBusinessMessages {
  business_connection_id: string
  chat: TelegramChat
  message_ids: number[]
}

export interface TelegramUpdate {
  update_id: number
  message?: TelegramMessage
  edited_message?: TelegramMessage
  business_message?: TelegramMessage
  edited_business_message?: TelegramMessage
  deleted_business_messages?: TelegramDeletedBusinessMessages
  message_reaction?: TelegramMessageReaction
  callback_query?: TelegramCallbackQuery
  [kind: string]: unknown
}

/** Every Bot API answer: `{ok:true,result}` or `{ok:false,error_code,description,parameters?}`. */
export interface TelegramResponse<T> {
  ok: boolean
  result?: T
  error_code?: number
  description?: string
  parameters?: { retry_after?: number; migrate_to_chat_id?: number }
}
