import type { Config } from '../config.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { enqueueInTx } from '../queue/queue.js'
import { mailJobKey, sendMailTask, type MailJob } from './mail.task.js'

export function isMailConfigured(config: Pick<Config, 'smtpUrl'>): boolean {
  return config.smtpUrl !== undefined
}

async function enqueueMail(trx: Database, job: MailJob): Promise<void> {
  await enqueueInTx(trx, sendMailTask, job, { jobKey: mailJobKey(job) })
}

/**
 * Emails a single-use link (an invitation or a password reset) to its address, in the transaction that issued it:
 * the email exists only if the link does. Answers the address, or null when no mail server is configured and the
 * admin has to pass the link on themselves.
 */
export async function enqueueLinkEmail(ctx: AppContext, trx: Database, link: { id: string; url: string; email: string }): Promise<string | null> {
  if (!isMailConfigured(ctx.config)) return null
  await enqueueMail(trx, { kind: 'link', linkId: link.id, sealedUrl: ctx.secrets.seal(link.url) })
  return link.email
}

/**
 * Emails each person @mentioned in a note, in the note's transaction. Whether they still need it (they may be
 * working in the console by then) is decided when the job runs.
 */
export async function enqueueMentionEmails(ctx: AppContext, trx: Database, messageId: string, userIds: readonly string[]): Promise<void> {
  if (!isMailConfigured(ctx.config)) return
  for (const userId of userIds) await enqueueMail(trx, { kind: 'mention', messageId, userId })
}
