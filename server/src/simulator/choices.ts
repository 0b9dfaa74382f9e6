import { graphError, param100 } from './graph.js'
import { instagramMid, messengerMid, numericId, whatsappMessageId } from './ids.js'
import { buildMessagingEntry, buildWhatsAppMessageEntry, metaBody, metaObjects, whatsappInteractiveReply } from './payloads/meta.js'
import { buildTelegramCallbackQuery, type TelegramInlineButton } from './payloads/telegram.js'
import { deliverOrQueueTelegram, rememberMetaMessage, resolveMessage } from './customer-writes.js'
import { requireAccount, telegramFeed, type SentChoices, type SimState } from './state.js'
import type { CustomerChoice, DeliveryReport } from './types.js'
import { buildWebhook, deliverWebhook } from './webhook-delivery.js'

/**
 * Answers the customer can tap (specs/outreach.md §2): each platform's limits on the sends that carry them
 * (WhatsApp interactive lists and reply buttons, Telegram inline keyboards, Messenger and Instagram quick replies),
 * the memory of what was sent, and the customer's tap coming back in the platform's own inbound payload.
 */

type Option = SentChoices['options'][number]
/** What a send's answers come to once checked: the options the customer sees, or the platform's error (and none). */
interface Checked<Problem> {
  options: Option[]
  problem?: Problem
}

const refused = <Problem>(problem: Problem): Checked<Problem> => ({ options: [], problem })

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const record = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
/** Characters as WhatsApp and Messenger count them (code points: an emoji is one). */
const length = (value: string) => Array.from(value).length

/** WhatsApp's answer to a parameter it cannot take: 131009 with the reason in error_data.details. */
function invalidParameter(details: string) {
  return graphError(131009, '(#131009) Parameter value is not valid', { error_data: { messaging_product: 'whatsapp', details } })
}

/**
 * `type: 'interactive'` lists and reply buttons, as the Cloud API checks them: a list has a button (≤ 20), 1–10
 * sections (a title ≤ 24 each, required with more than one) and 1–10 rows in all (id ≤ 200, unique; title ≤ 24;
 * description ≤ 72); reply buttons are 1–3 (id ≤ 256, title ≤ 20, both unique). Body ≤ 4,096 on a list, ≤ 1,024 on
 * buttons; header and footer text ≤ 60. Other interactive types are taken as they come, with nothing to tap here.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
 */
export function checkWhatsAppInteractive(interactive: Record<string, unknown>): Checked<ReturnType<typeof graphError>> & { control?: 'list' | 'button' } {
  const type = text(interactive.type)
  if (type !== 'list' && type !== 'button') return { options: [] }
  const body = text(record(interactive.body)?.text)
  if (!body) return refused(param100("The parameter interactive['body']['text'] is required."))
  if (length(body) > (type === 'list' ? 4096 : 1024)) return refused(invalidParameter(`Body text length invalid. Max length: ${type === 'list' ? 4096 : 1024}`))
  const header = record(interactive.header)
  if (header && text(header.type) === 'text' && length(text(header.text) ?? '') > 60)
    return refused(invalidParameter('Header text length invalid. Max length: 60'))
  const footer = text(record(interactive.footer)?.text)
  if (footer && length(footer) > 60) return refused(invalidParameter('Footer text length invalid. Max length: 60'))
  const action = record(interactive.action)
  if (!action) return refused(param100("The parameter interactive['action'] is required."))
  const checked = type === 'list' ? checkList(action) : checkReplyButtons(action)
  return checked.problem ? checked : { ...checked, control: type }
}

function checkList(action: Record<string, unknown>): Checked<ReturnType<typeof graphError>> {
  const button = text(action.button)
  if (!button || length(button) > 20) return refused(invalidParameter('Button title length invalid. Min length: 1, Max length: 20'))
  const sections = action.sections
  if (!Array.isArray(sections) || sections.length === 0) return refused(param100("The parameter interactive['action']['sections'] is required."))
  if (sections.length > 10) return refused(invalidParameter('Too many sections. Max allowed: 10'))
  const options: Option[] = []
  for (const value of sections) {
    const section = record(value)
    const title = text(section?.title)
    if (sections.length > 1 && !title) return refused(invalidParameter('Section title is required when there is more than one section'))
    if (title && length(title) > 24) return refused(invalidParameter('Section title length invalid. Max length: 24'))
    const rows = section?.rows
    if (!Array.isArray(rows) || rows.length === 0) return refused(invalidParameter('Each section needs at least one row'))
    for (const rowValue of rows) {
      const row = record(rowValue)
      const id = text(row?.id)
      const rowTitle = text(row?.title)
      const description = text(row?.description)
      if (!id || length(id) > 200) return refused(invalidParameter('Row ID length invalid. Min length: 1, Max length: 200'))
      if (!rowTitle || length(rowTitle) > 24) return refused(invalidParameter('Row title length invalid. Min length: 1, Max length: 24'))
      if (description && length(description) > 72) return refused(invalidParameter('Row description length invalid. Max length: 72'))
      if (options.some((option) => option.id === id)) return refused(invalidParameter('Row IDs must be unique'))
      options.push({ id, title: rowTitle, ...(description ? { description } : {}) })
    }
  }
  if (options.length > 10) return refused(invalidParameter(`Total row count exceed max allowed count: 10`))
  return { options }
}

function checkReplyButtons(action: Record<string, unknown>): Checked<ReturnType<typeof graphError>> {
  const buttons = action.buttons
  if (!Array.isArray(buttons) || buttons.length === 0) return refused(param100("The parameter interactive['action']['buttons'] is required."))
  if (buttons.length > 3) return refused(invalidParameter('Buttons count invalid. Max allowed: 3'))
  const options: Option[] = []
  for (const value of buttons) {
    const button = record(value)
    const reply = record(button?.reply)
    const id = text(reply?.id)
    const title = text(reply?.title)
    if (text(button?.type) !== 'reply' || !reply) return refused(invalidParameter("Button type must be 'reply'"))
    if (!id || length(id) > 256) return refused(invalidParameter('Button ID length invalid. Min length: 1, Max length: 256'))
    if (!title || length(title) > 20) return refused(invalidParameter('Button title length invalid. Min length: 1, Max length: 20'))
    if (options.some((option) => option.id === id || option.title === title)) return refused(invalidParameter('Button title and ID must be unique'))
    options.push({ id, title })
  }
  return { options }
}

const quickReplyTypes = ['text', 'user_phone_number', 'user_email']

/**
 * Send API `message.quick_replies`: 1–13; `content_type` text (title and payload ≤ 1,000 characters, or an image),
 * user_phone_number or user_email (Messenger; Instagram takes text only). A title over 20 characters is cut, not
 * refused, so the options keep the title as the customer sees it.
 * https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies
 */
export function checkQuickReplies(value: unknown, kind: 'facebook' | 'instagram'): Checked<ReturnType<typeof graphError>> {
  if (!Array.isArray(value) || value.length === 0) return refused(param100('param message[quick_replies] must be a non-empty array.'))
  if (value.length > 13) return refused(param100('param message[quick_replies] must have at most 13 items.'))
  const options: Option[] = []
  for (const [index, item] of value.entries()) {
    const quickReply = record(item)
    const type = text(quickReply?.content_type) ?? ''
    const types = kind === 'instagram' ? ['text'] : quickReplyTypes
    if (!types.includes(type)) return refused(param100(`param message[quick_replies][${index}][content_type] must be one of {${types.join(', ')}}.`))
    if (type !== 'text') continue
    const title = text(quickReply?.title)
    const payload = text(quickReply?.payload) ?? (typeof quickReply?.payload === 'number' ? String(quickReply.payload) : undefined)
    if (!title && !text(quickReply?.image_url)) return refused(param100(`param message[quick_replies][${index}][title] is required.`))
    if (!payload) return refused(param100(`param message[quick_replies][${index}][payload] is required.`))
    if (length(payload) > 1000) return refused(param100(`Length of param message[quick_replies][${index}][payload] must be less than or equal to 1000`))
    options.push({
      id: payload,
      title: Array.from(title ?? '')
        .slice(0, 20)
        .join(''),
    })
  }
  return { options }
}

/** The one action field each inline button must have (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
const buttonActions = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
]
/** Telegram refuses a keyboard of more than 100 buttons (unverified; the Bot API text states no number). */
const maxInlineButtons = 100

/**
 * An InlineKeyboardMarkup as sendMessage checks it: rows of buttons, each with a text and exactly one action;
 * callback_data 1–64 bytes. Other markups (reply keyboards, force_reply) are taken with nothing to tap here.
 */
export function checkInlineKeyboard(markup: Record<string, unknown>): Checked<string> & { keyboard?: TelegramInlineButton[][] } {
  if (!('inline_keyboard' in markup)) return { options: [] }
  const rows = markup.inline_keyboard
  if (!Array.isArray(rows) || !rows.every(Array.isArray))
    return refused('Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
  const buttons = (rows as unknown[][]).flat()
  if (buttons.length > maxInlineButtons) return refused('Bad Request: reply markup is too long')
  const options: Option[] = []
  for (const value of buttons) {
    const button = record(value)
    const buttonText = text(button?.text)
    if (!button || !buttonText) return refused('Bad Request: BUTTON_TEXT_INVALID')
    const actions = buttonActions.filter((action) => button[action] !== undefined)
    if (actions.length !== 1) return refused("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if (actions[0] !== 'callback_data') continue
    const data = text(button.callback_data) ?? ''
    const bytes = Buffer.byteLength(data, 'utf8')
    if (bytes < 1 || bytes > 64) return refused('Bad Request: BUTTON_DATA_INVALID')
    options.push({ id: data, title: buttonText })
  }
  return { options, keyboard: rows as TelegramInlineButton[][] }
}

/** Keeps a send's answers so the customer can tap one later. */
export function rememberChoices(state: SimState, sent: Omit<SentChoices, 'isSpent' | 'at'>): void {
  if (sent.options.length === 0) return
  state.choices.set(sent.messageId, { ...sent, isSpent: false, at: new Date() })
}

/** A tap the platform would not deliver: `status` is what the control route answers. */
export class ChoiceRefusedError extends Error {
  readonly status: 400 | 404 | 409
  constructor(status: 400 | 404 | 409, message: string) {
    super(message)
    this.name = 'ChoiceRefusedError'
    this.status = status
  }
}

/** The message of ours the customer taps on: the one named, else the latest with answers sent to them. */
function findSentChoices(state: SimState, accountExternalId: string, choice: CustomerChoice): SentChoices {
  const recipientIds = new Set([choice.from.id, state.meta.waIds.get(choice.from.id)])
  const sent = choice.messageId
    ? state.choices.get(choice.messageId)
    : [...state.choices.values()].reverse().find((item) => item.accountExternalId === accountExternalId && recipientIds.has(item.recipientId))
  if (!sent || sent.accountExternalId !== accountExternalId) {
    const which = choice.messageId ? `message ${choice.messageId}` : `message to ${choice.from.id}`
    throw new ChoiceRefusedError(404, `Account ${accountExternalId} sent no ${which} with answer buttons`)
  }
  if (sent.isSpent) throw new ChoiceRefusedError(409, `The answer buttons of message ${sent.messageId} are gone: they cannot be tapped again`)
  return sent
}

/**
 * The customer taps `optionId` on a message of ours with answers, and the platform tells Carebox as it does:
 * - WhatsApp: a message of type interactive, `list_reply` (or `button_reply`) {id, title}, `context.id` our wamid;
 * - Telegram: a callback_query whose message is ours with its keyboard (webhook, or queued for getUpdates); the bot
 *   must answerCallbackQuery, and editMessageReplyMarkup removes the keyboard (until then it can be tapped again);
 * - Messenger and Instagram: a message whose text is the title and `quick_reply.payload` the id; the quick replies
 *   are gone after it.
 * Throws ChoiceRefusedError when there is nothing of that id to tap.
 */
export async function customerChooses(state: SimState, accountExternalId: string, choice: CustomerChoice): Promise<DeliveryReport> {
  const account = requireAccount(state, accountExternalId)
  const sent = findSentChoices(state, accountExternalId, choice)
  const option = sent.options.find((candidate) => candidate.id === choice.optionId)
  if (!option) throw new ChoiceRefusedError(400, `Message ${sent.messageId} has no answer '${choice.optionId}': ${sent.options.map((o) => o.id).join(', ')}`)
  const at = choice.at ?? new Date()

  if (sent.kind === 'telegram') {
    const message = sent.telegramMessage
    if (!message) throw new ChoiceRefusedError(404, `Message ${sent.messageId} is not a Telegram message`)
    const queryId = numericId(19)
    state.callbackQueries.set(queryId, { accountExternalId, isAnswered: false })
    const update = buildTelegramCallbackQuery({
      updateId: telegramFeed(state, account.externalId).nextUpdateId++,
      queryId,
      from: choice.from,
      message: structuredClone(message),
      data: option.id,
    })
    return { ...(await deliverOrQueueTelegram(state, account, update)), externalId: `cb:${queryId}`, payload: update }
  }

  if (account.kind !== 'whatsapp' && account.kind !== 'facebook' && account.kind !== 'instagram') {
    throw new ChoiceRefusedError(404, `${account.kind} has no answer buttons`)
  }
  const id = account.kind === 'whatsapp' ? whatsappMessageId() : account.kind === 'instagram' ? instagramMid() : messengerMid()
  const message = resolveMessage(account, { from: choice.from, text: option.title, at, id, ...(account.kind === 'whatsapp' && { replyToId: sent.messageId }) })
  rememberMetaMessage(state, account, message)
  const entry =
    account.kind === 'whatsapp'
      ? buildWhatsAppMessageEntry(account, message, whatsappInteractiveReply(sent.control === 'button' ? 'button' : 'list', option))
      : buildMessagingEntry(account.externalId, message, { payload: option.id })
  // Quick replies vanish once one is tapped; a WhatsApp list can be opened and answered again.
  if (sent.control === 'quick_replies') sent.isSpent = true
  const body = metaBody(metaObjects[account.kind], [entry])
  const outcome = account.webhookUrl
    ? await deliverWebhook(state, buildWebhook(account, body))
    : { attempts: 0, finalStatus: 0, delivered: false, error: `${account.kind} account ${account.externalId} has no webhookUrl` }
  return { ...outcome, externalId: id, payload: body }
}
