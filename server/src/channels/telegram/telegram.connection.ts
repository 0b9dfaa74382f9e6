/**
 * Telegram's side of "Test connection" (getMe) and "Register webhook" (setWebhook with the channel's secret token,
 * which Telegram then sends back in X-Telegram-Bot-Api-Secret-Token on every update).
 * https://core.telegram.org/bots/api#getme , https://core.telegram.org/bots/api#setwebhook
 */
import { checkRefused, checkTimeoutMs, ConnectionProblem, missingCredential, notThePlatform } from '../connection-check.js'
import type { ChannelRuntime, ConnectedAccount } from '../connector.js'
import { platformFetch, type PlatformResponse } from '../http.js'
import { isRecord } from '../payload.js'
import { telegramAllowedUpdates } from './telegram.payloads.js'

/** A bot token: the bot's user id, a colon, then the secret part (BotFather's format). */
const tokenPattern = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/

/** setWebhook's secret_token: 1–256 of A–Z, a–z, 0–9, _ and -. */
const secretTokenPattern = /^[A-Za-z0-9_-]{1,256}$/

export async function checkTelegramConnection(channel: ChannelRuntime): Promise<ConnectedAccount> {
  const response = await callBotApi(channel, 'getMe', {})
  if (response.status !== 200 || !isRecord(response.body) || response.body.ok !== true) throw telegramRefusal(response)
  const bot = response.body.result
  if (!isRecord(bot) || typeof bot.id !== 'number') throw notThePlatform('Telegram', response)
  const handle = typeof bot.username === 'string' && bot.username ? bot.username : undefined
  const name = typeof bot.first_name === 'string' && bot.first_name ? bot.first_name : undefined
  return {
    id: String(bot.id),
    ...(name && { name }),
    ...(handle && { handle }),
    summary: `Telegram bot ${handle ? `@${handle}` : String(bot.id)}${name ? ` (${name})` : ''}`,
  }
}

export async function registerTelegramWebhook(webhookUrl: string, channel: ChannelRuntime): Promise<string> {
  const secret = channel.secrets.webhookSecret
  if (!secret) throw missingCredential('webhook secret token')
  if (!secretTokenPattern.test(secret)) {
    throw new ConnectionProblem('Telegram takes a webhook secret token of 1 to 256 letters, digits, _ and - only: change it in the channel first.')
  }
  const response = await callBotApi(channel, 'setWebhook', { url: webhookUrl, secret_token: secret, allowed_updates: telegramAllowedUpdates })
  if (response.status !== 200 || !isRecord(response.body) || response.body.ok !== true) {
    const refusal = telegramRefusal(response)
    // Telegram only calls public HTTPS addresses on a few ports: say so where the refusal is about the URL.
    const isAboutUrl = response.status === 400 && /webhook|url|port|https/i.test(descriptionOf(response) ?? '')
    throw isAboutUrl
      ? new ConnectionProblem(
          `${refusal.message} Telegram only calls public HTTPS addresses on port 443, 80, 88 or 8443: set CAREBOX_PUBLIC_URL to such an address of this Carebox.`,
          refusal.status,
        )
      : refusal
  }
  return `Telegram now sends this bot's updates to ${webhookUrl}, with the channel's secret token. While a webhook is set, Telegram refuses to be polled for this bot.`
}

async function callBotApi(channel: ChannelRuntime, method: string, body: object): Promise<PlatformResponse> {
  const token = channel.secrets.botToken?.trim()
  if (!token) throw missingCredential('bot token')
  // Checked before it goes into the URL's path, where a slash or a question mark would change what is called.
  if (!tokenPattern.test(token)) {
    throw new ConnectionProblem(
      'This is not a Telegram bot token: a token looks like 123456789:AAH… (the bot’s number, a colon, then some 35 letters, digits, _ and -). Copy it again from @BotFather.',
    )
  }
  return platformFetch(`${channel.config.apiBaseUrl.replace(/\/+$/, '')}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    timeoutMs: checkTimeoutMs,
  })
}

/** Telegram's `{ok:false, error_code, description}` in plain words. */
function telegramRefusal(response: PlatformResponse): ConnectionProblem {
  const description = descriptionOf(response)
  if (response.status === 401) {
    return new ConnectionProblem(
      'Telegram does not know this bot token (401 Unauthorized): it is mistyped, or it was revoked. Copy the current token from @BotFather (/mybots → your bot → API Token).',
      401,
      '401',
    )
  }
  if (response.status === 200) return notThePlatform('Telegram', response)
  return checkRefused('Telegram', response, description, 'bot token', isRecord(response.body) ? String(response.body.error_code ?? '') || undefined : undefined)
}

function descriptionOf(response: PlatformResponse): string | undefined {
  const description = isRecord(response.body) ? response.body.description : undefined
  return typeof description === 'string' ? description : undefined
}
