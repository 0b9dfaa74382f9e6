import type { Message } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../../../server/src/channels/channels.service.js'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { processQueue } from '../../support/queue.js'

// A public Facebook thread with four people in it, each comment handled by itself against the simulator: answered
// publicly or privately, hidden, liked, deleted; the post shown at the top.
const pageId = '104455667788999'
const appSecret = 'comments-app-secret'
const postId = `${pageId}_5001`
const people = [
  { id: '7100000000000001', name: 'Ana Souza', text: 'Order 1001 never arrived' },
  { id: '7100000000000002', name: 'Ben Okafor', text: 'Mine 1002 came broken' },
  { id: '7100000000000003', name: 'Chloé Martin', text: 'Commande 1003 : quand ?' },
  { id: '7100000000000004', name: 'Troll', text: 'This brand is a scam!!!' },
]

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let sim: Simulator
let agent: SignedIn
let conversationId: string
/** Each person's comment in the thread, and its id on the platform, in the order of `people`. */
const comments: (Message & { externalId: string })[] = []

async function thread(): Promise<Message[]> {
  return (await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/messages`, headers: agent.headers })).json().items
}

function reply(body: Record<string, unknown>) {
  return app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/replies`,
    headers: agent.headers,
    payload: { clientKey: randomUUID(), ...body },
  })
}

function act(messageId: string, action: string) {
  return app.inject({ method: 'POST', url: `/api/messages/${messageId}/comment-actions`, headers: agent.headers, payload: { action } })
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  // The test's clock is the real one: the simulator judges a private reply's 7 days by it.
  ;(ctx.clock as unknown as { set(at: Date): void }).set(new Date())
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  agent = await signedInAs(ctx, app, 'admin')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  ctx.runtime.mediaAllowOrigins.push(new URL(sim.url).origin)
  await createChannel(ctx, {
    kind: 'facebook',
    name: 'Comments Page',
    externalId: pageId,
    settings: { mode: 'webhook', apiBaseUrl: sim.apiBaseUrl('facebook') },
    secrets: { appSecret, accessToken: 'page-token' },
  })
  sim.addAccount({ kind: 'facebook', externalId: pageId, secrets: { appSecret, accessToken: 'page-token' }, webhookUrl: `${appUrl}/webhooks/meta` })
  sim.addPost(pageId, { id: postId, text: 'Spring collection is here' })
  const externalIds: string[] = []
  for (const [i, person] of people.entries()) {
    const at = new Date(Date.now() - (people.length - i) * 60_000)
    const report = await sim.customerWrites(pageId, { from: { id: person.id, name: person.name }, text: person.text, kind: 'comment', postId, at })
    externalIds.push(report.externalId!)
  }
  await processQueue(ctx, database.pool)
  const row = await ctx.db.selectFrom('conversations').select('id').where('kind', '=', 'public').executeTakeFirstOrThrow()
  conversationId = row.id
  const inbound = (await thread()).filter((m) => m.direction === 'inbound')
  people.forEach((person, i) => comments.push({ ...inbound.find((m) => m.author?.name === person.name)!, externalId: externalIds[i]! }))
})
afterAll(async () => {
  await app.close()
  await sim.close()
  await database.drop()
})

describe('public comments, one person at a time', () => {
  it('keeps the four people in one thread, each comment with its author and what can be done to it', () => {
    expect(comments.map((c) => c.author?.name)).toEqual(people.map((p) => p.name))
    expect(new Set(comments.map((c) => c.conversationId)).size).toBe(1)
    for (const comment of comments) expect(comment.comment).toMatchObject({ hidden: false, liked: false, privateReplied: false, action: null })
  })

  it('names the latest commenter in the inbox list', async () => {
    const list = (await app.inject({ method: 'GET', url: '/api/conversations?view=all', headers: agent.headers })).json()
    expect(list.items.find((c: { id: string }) => c.id === conversationId)).toMatchObject({ contact: { name: 'Ana Souza' }, latestCommenter: 'Troll' })
  })

  it('gives the panel of any commenter, so the console can follow the comment selected', async () => {
    const panel = await app.inject({ method: 'GET', url: `/api/contacts/${comments[2]!.author!.id}`, headers: agent.headers })
    expect(panel.statusCode).toBe(200)
    expect(panel.json()).toMatchObject({ id: comments[2]!.author!.id, name: 'Chloé Martin' })
    const unknown = await app.inject({ method: 'GET', url: `/api/contacts/${randomUUID()}`, headers: agent.headers })
    expect(unknown.statusCode).toBe(404)
  })

  it('shows the post the thread is about, its picture fetched through Carebox', async () => {
    const { post } = (await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/post`, headers: agent.headers })).json()
    expect(post).toMatchObject({ externalId: postId, text: 'Spring collection is here', permalink: expect.stringContaining('facebook.com') })
    const picture = await app.inject({ method: 'GET', url: post.pictureUrl, headers: agent.headers })
    expect(picture.statusCode).toBe(200)
    expect(picture.headers['content-type']).toMatch(/^image\//)
  })

  it('answers the third person publicly under their comment, and the thread says whom it answered', async () => {
    const third = comments[2]!
    const sent = await reply({ text: 'Chloé, your parcel leaves tomorrow.', replyToMessageId: third.id })
    expect(sent.statusCode).toBe(200)
    await processQueue(ctx, database.pool)
    const call = sim.sends.find((s) => s.path.endsWith('/comments') && JSON.stringify(s.body).includes('leaves tomorrow'))
    expect(call?.path).toContain(`/${third.externalId}/comments`)
    const answered = (await thread()).find((m) => m.id === sent.json().id)
    expect(answered?.inReplyTo).toMatchObject({ messageId: third.id, author: 'Chloé Martin' })
  })

  it('answers the second privately, once: a second private reply is refused before the platform is asked', async () => {
    const second = comments[1]!
    const sent = await reply({ text: 'Ben, we sent you a message about 1002.', replyToMessageId: second.id, visibility: 'private' })
    expect(sent.statusCode).toBe(200)
    await processQueue(ctx, database.pool)
    const call = sim.sends.find((s) => JSON.stringify(s.body).includes('about 1002'))
    expect((call?.body as { recipient?: { comment_id?: string } }).recipient?.comment_id).toBe(second.externalId)
    expect((await thread()).find((m) => m.id === second.id)?.comment?.privateReplied).toBe(true)
    const again = await reply({ text: 'One more thing…', replyToMessageId: second.id, visibility: 'private' })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.message).toContain('one per comment')
  })

  it('hides the fourth, shows the action queued, then done on the platform; unhides it again', async () => {
    const fourth = comments[3]!
    const queued = await act(fourth.id, 'hide')
    expect(queued.statusCode).toBe(200)
    expect(queued.json().comment.action).toEqual({ action: 'hide', status: 'queued', error: null })
    await processQueue(ctx, database.pool)
    expect(sim.comment(fourth.externalId)?.isHidden).toBe(true)
    const hidden = (await thread()).find((m) => m.id === fourth.id)!
    expect(hidden.comment).toMatchObject({ hidden: true, action: { action: 'hide', status: 'done', error: null } })
    expect((await act(fourth.id, 'hide')).statusCode).toBe(409)
    await act(fourth.id, 'unhide')
    await processQueue(ctx, database.pool)
    expect(sim.comment(fourth.externalId)?.isHidden).toBe(false)
    const audit = await ctx.db.selectFrom('auditLog').select('action').where('action', 'in', ['comment.hide', 'comment.unhide']).execute()
    expect(audit).toHaveLength(2)
  })

  it('likes the first as the Page', async () => {
    const first = comments[0]!
    await act(first.id, 'like')
    await processQueue(ctx, database.pool)
    expect(sim.comment(first.externalId)?.isLiked).toBe(true)
    expect((await thread()).find((m) => m.id === first.id)?.comment?.liked).toBe(true)
  })

  it('reports the platform’s refusal when the comment was already deleted there, and keeps the comment', async () => {
    const third = comments[2]!
    sim.commentDeleted(third.externalId)
    await act(third.id, 'delete')
    await processQueue(ctx, database.pool)
    const after = (await thread()).find((m) => m.id === third.id)!
    expect(after.comment?.action).toMatchObject({ action: 'delete', status: 'failed', error: expect.any(String) })
    expect(after.deletedAt).toBeNull()
  })

  it('deletes the fourth; nothing more can be done to it, and it cannot be answered', async () => {
    const fourth = comments[3]!
    await act(fourth.id, 'delete')
    await processQueue(ctx, database.pool)
    expect((await thread()).find((m) => m.id === fourth.id)?.deletedAt).not.toBeNull()
    expect((await act(fourth.id, 'like')).statusCode).toBe(409)
    expect((await reply({ text: 'Hello?', replyToMessageId: fourth.id })).statusCode).toBe(409)
  })

  it('refuses a private reply to a comment older than 7 days, naming the rule', async () => {
    const report = await sim.customerWrites(pageId, {
      from: { id: '7100000000000005', name: 'Old Timer' },
      text: 'Still waiting',
      kind: 'comment',
      postId,
      at: new Date(Date.now() - 8 * 86_400_000),
    })
    await processQueue(ctx, database.pool)
    const old = (await thread()).find((m) => m.author?.name === 'Old Timer')!
    const late = await reply({ text: 'Sorry!', replyToMessageId: old.id, visibility: 'private' })
    expect(late.statusCode).toBe(409)
    expect(late.json().error.message).toContain('within 7 days')
    expect(sim.sends.some((s) => String(JSON.stringify(s.body)).includes(report.externalId!))).toBe(false)
  })

  it('refuses comment actions on what is not a customer’s comment', async () => {
    const ours = (await thread()).find((m) => m.direction === 'outbound')!
    expect((await act(ours.id, 'hide')).statusCode).toBe(400)
  })
})
