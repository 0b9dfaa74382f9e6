import { Id } from '@carebox/shared'
import { Type, type Static } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * What an email is about. A single-use link is stored only as its hash, so the job carries the link's URL sealed
 * with the installation's key (never in clear in the jobs table); everything else is read by id when the job runs,
 * so a link withdrawn or used meanwhile, or a note deleted, sends nothing.
 */
export const MailJob = Type.Union([
  Type.Object({ kind: Type.Literal('link'), linkId: Id, sealedUrl: Type.String({ minLength: 1 }) }),
  Type.Object({ kind: Type.Literal('mention'), messageId: Id, userId: Id }),
])
export type MailJob = Static<typeof MailJob>

/**
 * Sends one email. A mail server that is down or answers "try later" is retried with graphile-worker's backoff
 * (about 3 s, 7 s, 20 s … some 3.5 hours in all); a recipient the server refuses for good is not. It waits on
 * another server, so it runs in the platform slots, beside sends and polls.
 */
export const sendMailTask = defineTask({
  name: 'mail.send',
  capacity: 'platform',
  payload: MailJob,
  maxAttempts: 10,
})

/** One job per link, and per person per note: issuing the same thing twice cannot email it twice. */
export function mailJobKey(job: MailJob): string {
  return job.kind === 'link' ? `mail:link:${job.linkId}` : `mail:mention:${job.messageId}:${job.userId}`
}
