import nodemailer, { type Transporter } from 'nodemailer'
import type { Config } from '../config.js'
import type { Email } from './email-text.js'

// One transport per server URL, per process: it only holds options until a message is sent.
const transports = new Map<string, Transporter>()

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl)
  if (!transport) {
    transport = nodemailer.createTransport({
      url: smtpUrl,
      // nodemailer waits up to 10 minutes on a silent server by default: a hung one would hold a worker slot.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    })
    transports.set(smtpUrl, transport)
  }
  return transport
}

export async function deliverEmail(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, email: Email): Promise<void> {
  if (!config.smtpUrl) throw new Error('No mail server is configured (CAREBOX_SMTP_URL).')
  await transportFor(config.smtpUrl).sendMail({ from: config.mailFrom, to: email.to, subject: email.subject, text: email.text, html: email.html })
}

/**
 * The server refused this recipient or this message for good (a 5xx to RCPT TO or DATA): sending again would be
 * refused again. Anything else (no connection, a timeout, a 4xx "try later", even a failed login, which an admin
 * can fix) is worth a retry.
 */
export function isPermanentMailError(error: unknown): boolean {
  const { code, responseCode, command } = error as { code?: string; responseCode?: number; command?: string }
  if (code === 'EENVELOPE' && responseCode === undefined) return true
  return responseCode !== undefined && responseCode >= 500 && responseCode < 600 && (command === 'RCPT TO' || command === 'DATA' || code === 'EENVELOPE')
}

/** The words of a failure for the log, never the server URL (it may hold the password). */
export function mailErrorText(error: unknown): string {
  const { code, response, message } = error as { code?: string; response?: string; message?: string }
  return [code, response ?? message].filter(Boolean).join(': ')
}
