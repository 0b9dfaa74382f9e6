import { followUpPlan, type ChannelKind, type FollowUpMessage } from '@carebox/shared'
import type { AppContext } from '../context.js'
import { followUpDueTask, followUpJobKey } from '../follow-ups/follow-up-due.task.js'
import { insertFollowUp } from '../follow-ups/follow-ups.repository.js'
import { enqueueInTx } from '../queue/queue.js'
import type { Simulator } from '../simulator/simulator.js'
import type { SimAccount } from '../simulator/types.js'

/** Four people under one post, in several languages: a thread to answer one person at a time. */
const commenters = [
  { id: '9100000000000001', name: 'Marta Quintero', text: '¿El pedido 5531 sale esta semana? Lo necesito para el viernes.' },
  { id: '9100000000000002', name: 'Jonas Weber', text: 'Meine Bestellung 5532 kam beschädigt an. Wer hilft mir?' },
  { id: '9100000000000003', name: 'Priya Nair', text: 'Love the new colours! Is the blue one back in stock?' },
  { id: '9100000000000004', name: 'Deals4U', text: 'CHEAP FOLLOWERS click my profile!!!' },
]

/** The demo's public threads: the same four people under a Facebook post and an Instagram photo. */
export async function seedDemoCommentThreads(sim: Simulator, accounts: SimAccount[]): Promise<number> {
  let written = 0
  for (const account of accounts.filter((a) => a.kind === 'facebook' || a.kind === 'instagram')) {
    const post = account.kind === 'facebook' ? `${account.externalId}_20260301` : '17900000000020260'
    sim.addPost(account.externalId, { id: post, text: 'Spring collection is here: new colours, same comfort.' })
    for (const [i, person] of commenters.entries()) {
      await sim.customerWrites(account.externalId, {
        from: { id: `${person.id}${account.kind === 'instagram' ? '9' : ''}`, name: person.name },
        text: person.text,
        kind: 'comment',
        ...(account.kind === 'facebook' ? { postId: post } : { mediaId: post }),
        at: new Date(Date.now() - (40 - i * 10) * 60_000),
      })
      written += 1
    }
  }
  return written
}

/**
 * Follow-ups that come due while the demo runs (in 2 and 5 minutes), on WhatsApp chats from the history: one
 * brings a chat back with its note, the other sends a template prepared with the order number.
 */
export async function seedDemoFollowUps(ctx: AppContext, whatsappChannelId: string): Promise<number> {
  const now = ctx.clock.now()
  const chats = await ctx.db
    .selectFrom('conversations as c')
    .innerJoin('contacts as ct', 'ct.id', 'c.contactId')
    .select(['c.id', 'c.assigneeId', 'c.lastInboundAt', 'ct.name'])
    .where('c.channelId', '=', whatsappChannelId)
    .where('c.kind', '=', 'dm')
    .where('c.lastInboundAt', '<', new Date(now.getTime() - 24 * 3_600_000))
    .orderBy('c.lastInboundAt', 'desc')
    .limit(2)
    .execute()
  const template = await ctx.db
    .selectFrom('whatsappTemplates')
    .select('id')
    .where('name', '=', 'order_update')
    .where('language', '=', 'en_US')
    .executeTakeFirst()
  const plans: { note: string; minutes: number; message: FollowUpMessage | null }[] = [
    { note: 'Check the replacement arrived', minutes: 2, message: null },
    {
      note: 'Tell them the refund went out',
      minutes: 5,
      message: template
        ? { kind: 'template', templateId: template.id, values: { 'body.1': 'there', 'body.2': '48213', 'body.3': 'your refund was sent today' } }
        : null,
    },
  ]
  let scheduled = 0
  for (const [i, chat] of chats.entries()) {
    const plan = plans[i]!
    const dueAt = new Date(now.getTime() + plan.minutes * 60_000)
    const outcome = followUpPlan(
      { kind: 'whatsapp' as ChannelKind, conversationKind: 'dm', lastInboundAt: chat.lastInboundAt?.toISOString() ?? null },
      plan.message,
      dueAt,
    ).words
    await ctx.db.transaction().execute(async (trx) => {
      const id = await insertFollowUp(trx, {
        conversationId: chat.id,
        createdBy: chat.assigneeId,
        dueAt,
        note: plan.note,
        message: plan.message,
        outcome,
        at: now,
      })
      await enqueueInTx(trx, followUpDueTask, { followUpId: id }, { runAt: dueAt, jobKey: followUpJobKey(id) })
    })
    scheduled += 1
  }
  return scheduled
}
