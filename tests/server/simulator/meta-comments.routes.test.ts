import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, startWebhookReceiver, type Simulator, type WebhookReceiver } from '../../../server/src/simulator/index.js'

let sim: Simulator
let receiver: WebhookReceiver
let graph: string
const page = '104455667788991'
const ig = '17841400000000002'
const dayMs = 86_400_000

beforeAll(async () => {
  sim = await startSimulator({ receiptDelayMs: 10, retryScheduleMs: [10] })
  receiver = await startWebhookReceiver()
  graph = sim.apiBaseUrl('facebook')
  sim.addAccount({ kind: 'facebook', externalId: page, secrets: { appSecret: 's', accessToken: 'page-token' }, webhookUrl: receiver.url, handle: 'Brand' })
  sim.addAccount({ kind: 'instagram', externalId: ig, secrets: { appSecret: 's', accessToken: 'ig-token' }, webhookUrl: receiver.url, handle: 'brand' })
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers are asserted field by field
type GraphBody = any

async function call(method: string, path: string, token: string, body?: Record<string, unknown> | URLSearchParams) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (body && !(body instanceof URLSearchParams)) headers['content-type'] = 'application/json'
  const response = await fetch(`${graph}${path}`, {
    method,
    headers,
    ...(body ? { body: body instanceof URLSearchParams ? body : JSON.stringify(body) } : {}),
  })
  return { status: response.status, body: (await response.json()) as GraphBody }
}

async function facebookComment(extra: { at?: Date; postId?: string } = {}) {
  const report = await sim.customerWrites(page, { from: { id: '5566778899001122', name: 'Dana Ruiz' }, text: 'Is this in stock?', kind: 'comment', ...extra })
  return report.externalId!
}

async function instagramComment(extra: { at?: Date; mediaId?: string } = {}) {
  const report = await sim.customerWrites(ig, { from: { id: '1234567890123456', name: 'Maya', handle: 'maya.k' }, text: 'Refund?', kind: 'comment', ...extra })
  return report.externalId!
}

const objectMissing = (id: string, method: 'post' | 'delete') => ({
  error: {
    message: expect.stringMatching(
      new RegExp(
        `^Unsupported ${method} request\\. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation\\.`,
      ),
    ),
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
    fbtrace_id: expect.any(String),
  },
})

describe('POST /{comment-id} (Facebook hide and unhide)', () => {
  it('hides a comment with a form body and shows it again with JSON, answering {success: true}', async () => {
    const commentId = await facebookComment()

    const hidden = await call('POST', `/${commentId}`, 'page-token', new URLSearchParams({ is_hidden: 'true' }))
    const isHiddenAfterHide = sim.comment(commentId)?.isHidden
    const shown = await call('POST', `/${commentId}`, 'page-token', { is_hidden: false })

    expect(hidden).toEqual({ status: 200, body: { success: true } })
    expect(isHiddenAfterHide).toBe(true)
    expect(shown).toEqual({ status: 200, body: { success: true } })
    expect(sim.comment(commentId)).toMatchObject({ kind: 'facebook', isHidden: false, isDeleted: false })
  })

  it('takes is_hidden in the query string and records the call as a send of the Page', async () => {
    const commentId = await facebookComment()

    const response = await fetch(`${graph}/${commentId}?is_hidden=true&access_token=page-token`, { method: 'POST' })

    expect(response.status).toBe(200)
    expect(sim.comment(commentId)?.isHidden).toBe(true)
    expect(sim.sends.at(-1)).toMatchObject({
      kind: 'facebook',
      accountExternalId: page,
      method: 'POST',
      path: `/graph/v21.0/${commentId}`,
      responseStatus: 200,
    })
    expect(sim.requests.at(-1)).toMatchObject({ endpoint: 'send', accountExternalId: page, status: 200 })
  })

  it('refuses a wrong token with code 190 and a missing is_hidden with code 100, leaving the comment as it was', async () => {
    const commentId = await facebookComment()

    const wrongToken = await call('POST', `/${commentId}`, 'nope', { is_hidden: true })
    const missing = await call('POST', `/${commentId}`, 'page-token', { message: 'x' })

    expect(wrongToken.status).toBe(401)
    expect(wrongToken.body.error).toMatchObject({ type: 'OAuthException', code: 190 })
    expect(missing.status).toBe(400)
    expect(missing.body.error).toMatchObject({ code: 100, message: '(#100) The parameter is_hidden is required.' })
    expect(sim.comment(commentId)?.isHidden).toBe(false)
  })
})

describe('DELETE /{comment-id} and POST /{comment-id}/likes (Facebook)', () => {
  it('likes a comment as the Page, then deletes it', async () => {
    const commentId = await facebookComment()

    const liked = await call('POST', `/${commentId}/likes`, 'page-token')
    const deleted = await call('DELETE', `/${commentId}`, 'page-token')

    expect(liked).toEqual({ status: 200, body: { success: true } })
    expect(deleted).toEqual({ status: 200, body: { success: true } })
    expect(sim.comment(commentId)).toMatchObject({ isLiked: true, isDeleted: true })
  })

  it('takes a DELETE sent with a JSON content type and no body', async () => {
    const commentId = await facebookComment()

    const response = await fetch(`${graph}/${commentId}`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer page-token', 'content-type': 'application/json' },
    })

    expect(response.status).toBe(200)
    expect(sim.comment(commentId)?.isDeleted).toBe(true)
  })

  it('answers code 100 subcode 33 for every action on a comment we deleted, public and private replies included', async () => {
    const commentId = await facebookComment()
    await call('DELETE', `/${commentId}`, 'page-token')

    const answers = [
      await call('DELETE', `/${commentId}`, 'page-token'),
      await call('POST', `/${commentId}`, 'page-token', { is_hidden: true }),
      await call('POST', `/${commentId}/likes`, 'page-token'),
      await call('POST', `/${commentId}/comments`, 'page-token', { message: 'Sorry!' }),
      await call('POST', `/${page}/messages`, 'page-token', { recipient: { comment_id: commentId }, message: { text: 'Sorry!' } }),
    ]

    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400])
    expect(answers[0]!.body).toEqual(objectMissing(commentId, 'delete'))
    for (const answer of answers.slice(1)) expect(answer.body).toEqual(objectMissing(commentId, 'post'))
    expect(sim.comment(commentId)).toMatchObject({ isHidden: false, isLiked: false, hasPrivateReply: false })
  })

  it('answers code 100 subcode 33 for an action on a comment the author or Facebook already removed', async () => {
    const commentId = await facebookComment()
    sim.commentDeleted(commentId)

    const hide = await call('POST', `/${commentId}`, 'page-token', { is_hidden: true })
    const reply = await call('POST', `/${commentId}/comments`, 'page-token', { message: 'Thanks!' })

    expect(hide).toEqual({ status: 400, body: objectMissing(commentId, 'post') })
    expect(reply).toEqual({ status: 400, body: objectMissing(commentId, 'post') })
    expect(sim.comment(commentId)?.isDeleted).toBe(true)
  })

  it('answers code 100 subcode 33 for a comment that never existed', async () => {
    const unknown = '311122233344455_000000000000001'

    const answers = [
      await call('POST', `/${unknown}`, 'page-token', { is_hidden: true }),
      await call('DELETE', `/${unknown}`, 'page-token'),
      await call('POST', `/${unknown}/likes`, 'page-token'),
      await call('POST', `/${unknown}/comments`, 'page-token', { message: 'Hi' }),
    ]

    expect(answers.map((answer) => answer.body)).toEqual([
      objectMissing(unknown, 'post'),
      objectMissing(unknown, 'delete'),
      objectMissing(unknown, 'post'),
      objectMissing(unknown, 'post'),
    ])
    expect(answers.every((answer) => answer.status === 400)).toBe(true)
  })

  it('keeps the Page’s own public reply as a comment it can delete', async () => {
    const commentId = await facebookComment()
    const reply = await call('POST', `/${commentId}/comments`, 'page-token', { message: 'In stock, yes!' })

    const deleted = await call('DELETE', `/${reply.body.id}`, 'page-token')

    expect(deleted).toEqual({ status: 200, body: { success: true } })
    expect(sim.comment(reply.body.id)).toMatchObject({ authorId: page, text: 'In stock, yes!', isDeleted: true })
  })
})

describe('Instagram comment moderation', () => {
  it('hides and unhides with POST /{ig-comment-id} hide=true|false', async () => {
    const commentId = await instagramComment()

    const hidden = await call('POST', `/${commentId}`, 'ig-token', { hide: true })
    const isHiddenAfterHide = sim.comment(commentId)?.isHidden
    const shown = await call('POST', `/${commentId}?hide=false`, 'ig-token')

    expect(hidden).toEqual({ status: 200, body: { success: true } })
    expect(isHiddenAfterHide).toBe(true)
    expect(shown).toEqual({ status: 200, body: { success: true } })
    expect(sim.comment(commentId)).toMatchObject({ kind: 'instagram', isHidden: false })
    expect(sim.sends.at(-1)).toMatchObject({ kind: 'instagram', accountExternalId: ig, path: `/graph/v21.0/${commentId}` })
  })

  it('likes a comment with POST /{ig-user-id}/likes {comment_id}, then deletes it', async () => {
    const commentId = await instagramComment()

    const liked = await call('POST', `/${ig}/likes`, 'ig-token', { comment_id: commentId })
    const deleted = await call('DELETE', `/${commentId}`, 'ig-token')

    expect(liked).toEqual({ status: 200, body: { success: true } })
    expect(deleted).toEqual({ status: 200, body: { success: true } })
    expect(sim.comment(commentId)).toMatchObject({ isLiked: true, isDeleted: true })
  })

  it('answers code 100 subcode 33 for a like, hide, reply or private reply on a deleted or unknown comment', async () => {
    const commentId = await instagramComment()
    sim.commentDeleted(commentId)
    const unknown = '17900000000009999'

    const answers = [
      await call('POST', `/${ig}/likes`, 'ig-token', { comment_id: commentId }),
      await call('POST', `/${commentId}`, 'ig-token', { hide: true }),
      await call('POST', `/${commentId}/replies`, 'ig-token', { message: 'Sorry!' }),
      await call('POST', `/${ig}/messages`, 'ig-token', { recipient: { comment_id: commentId }, message: { text: 'Sorry!' } }),
      await call('POST', `/${ig}/likes`, 'ig-token', { comment_id: unknown }),
      await call('DELETE', `/${unknown}`, 'ig-token'),
    ]

    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400, 400])
    expect(answers.slice(0, 4).map((answer) => answer.body)).toEqual(Array.from({ length: 4 }, () => objectMissing(commentId, 'post')))
    expect(answers[4]!.body).toEqual(objectMissing(unknown, 'post'))
    expect(answers[5]!.body).toEqual(objectMissing(unknown, 'delete'))
  })

  it('asks for comment_id on a like with none', async () => {
    const response = await call('POST', `/${ig}/likes`, 'ig-token', {})

    expect(response.status).toBe(400)
    expect(response.body.error).toMatchObject({ code: 100, message: '(#100) The parameter comment_id is required.' })
  })
})

describe('private replies to comments', () => {
  it('refuses a private reply more than 7 days after the comment with code 10900', async () => {
    const commentId = await facebookComment({ at: new Date(Date.now() - 8 * dayMs) })

    const response = await call('POST', `/${page}/messages`, 'page-token', { recipient: { comment_id: commentId }, message: { text: 'Sorry for the wait' } })

    expect(response.status).toBe(400)
    expect(response.body.error).toMatchObject({ type: 'OAuthException', code: 10900, message: expect.stringContaining('older than 7 days') })
    expect(sim.comment(commentId)?.hasPrivateReply).toBe(false)
  })

  it('accepts one 6 days after the Instagram comment, and refuses the second as already replied to', async () => {
    const commentId = await instagramComment({ at: new Date(Date.now() - 6 * dayMs) })

    const first = await call('POST', `/${ig}/messages`, 'ig-token', { recipient: { comment_id: commentId }, message: { text: 'Check your DMs' } })
    const second = await call('POST', `/${ig}/messages`, 'ig-token', { recipient: { comment_id: commentId }, message: { text: 'Again' } })

    expect(first).toMatchObject({ status: 200, body: { recipient_id: '1234567890123456' } })
    expect(second.status).toBe(400)
    expect(second.body.error).toMatchObject({ code: 10900, message: '(#10900) Activity already replied to' })
  })

  it('answers code 100 subcode 33 for a private reply to a comment that never existed', async () => {
    const response = await call('POST', `/${page}/messages`, 'page-token', { recipient: { comment_id: '311122233344455_404' }, message: { text: 'Hi' } })

    expect(response).toEqual({ status: 400, body: objectMissing('311122233344455_404', 'post') })
  })
})
