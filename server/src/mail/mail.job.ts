import { publicBaseUrl } from '../config.js'
import type { AppContext } from '../context.js'
import { defineHandler } from '../queue/tasks.js'
import type { Email } from './email-text.js'
import { composeLinkEmail } from './link-email.js'
import { findMention, findUsableLink, listTeamNames } from './mail.repository.js'
import { deliverEmail, isPermanentMailError, mailErrorText } from './mail-transport.js'
import { sendMailTask, type MailJob } from './mail.task.js'
import { composeMentionEmail } from './mention-email.js'

/** The email a job stands for, as things are now; null when there is nothing (any more) to send. */
async function composeEmail(ctx: AppContext, job: MailJob): Promise<{ email: Email; about: string } | null> {
  if (job.kind === 'link') {
    const link = await findUsableLink(ctx.db, job.linkId, ctx.clock.now())
    if (!link) return null
    const url = ctx.secrets.open<string>(job.sealedUrl)
    const email = composeLinkEmail({ ...link, teamNames: await listTeamNames(ctx.db, link.teamIds), url })
    return email && { email, about: link.kind }
  }
  const mention = await findMention(ctx.db, job.messageId, job.userId)
  // Someone working in the console sees the mention there at once; an email would only repeat it. Away (every
  // console idle, or "away" chosen) or offline, they may not see it for hours: that is when an email helps.
  if (!mention || mention.presence === 'online') return null
  const url = `${publicBaseUrl(ctx)}/inbox/${mention.conversationId}`
  return { email: composeMentionEmail({ ...mention, url }), about: 'mention' }
}

export const sendMailHandler = defineHandler(sendMailTask, async (ctx, payload, job) => {
  const composed = await composeEmail(ctx, payload)
  if (!composed) {
    ctx.log.debug({ job: payload.kind }, 'email no longer needed: not sent')
    return
  }
  try {
    await deliverEmail(ctx.config, composed.email)
  } catch (error) {
    const reason = mailErrorText(error)
    if (isPermanentMailError(error)) {
      ctx.log.warn({ about: composed.about, to: composed.email.to, reason }, 'the mail server refused this email for good: not retried')
      return
    }
    const isLast = job.attempts >= job.maxAttempts
    ctx.log[isLast ? 'error' : 'warn'](
      { about: composed.about, to: composed.email.to, attempt: job.attempts, reason },
      isLast ? 'email not sent: giving up' : 'email not sent yet: will retry',
    )
    throw error
  }
  ctx.log.debug({ about: composed.about, to: composed.email.to }, 'email sent')
})
