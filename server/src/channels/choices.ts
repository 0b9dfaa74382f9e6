import { ConnectorError, type OutboundChoices, type OutboundMessage } from './connector.js'

/**
 * What the connectors share about tappable answers (OutboundChoices, specs/outreach.md §2): the last guards before
 * a send, and cutting titles to what a platform shows. The caller checks the channel first: these only make sure a
 * send the platform would refuse, or render differently than asked, fails at once in plain words.
 */

/** Choices given where the platform has no answer buttons, or in a form it cannot take: nothing was sent. */
export function choicesRefused(reason: string): ConnectorError {
  return new ConnectorError(reason, { retryable: false, outcome: 'not_sent' })
}

/** Refuses choices on a channel or conversation without answer buttons (Mastodon, Bluesky, public threads). */
export function refuseChoices(message: OutboundMessage, where: string): void {
  if (message.choices) throw choicesRefused(`${where} has no answer buttons: ask the question in words instead`)
}

/** The limits of one platform's control: how many options, and how many bytes an option's id may take. */
export interface ChoiceLimits {
  platform: string
  maxOptions: number
  maxIdBytes: number
}

/** The choices, once checked against the platform's limits; a question with a file or a template is refused too. */
export function checkedChoices(message: OutboundMessage, limits: ChoiceLimits): OutboundChoices {
  const { choices } = message
  if (!choices) throw new Error('checkedChoices needs a message with choices')
  const { platform, maxOptions, maxIdBytes } = limits
  if (message.file || message.template) throw choicesRefused(`A question with answer buttons goes on ${platform} without a file or a template`)
  if (choices.options.length === 0) throw choicesRefused(`A question with answer buttons needs at least one option`)
  if (choices.options.length > maxOptions) {
    throw choicesRefused(`${platform} shows at most ${maxOptions} answer buttons; this question has ${choices.options.length}`)
  }
  const ids = new Set<string>()
  for (const { id } of choices.options) {
    const bytes = Buffer.byteLength(id, 'utf8')
    if (bytes === 0 || bytes > maxIdBytes) throw choicesRefused(`${platform} takes answer ids of 1 to ${maxIdBytes} bytes; '${id}' has ${bytes}`)
    if (ids.has(id)) throw choicesRefused(`Two answers of this question share the id '${id}'`)
    ids.add(id)
  }
  return choices
}

/** The text cut to `max` characters (code points, so an emoji is never split), as the platform would show it. */
export function truncateChars(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : chars.slice(0, max).join('')
}
