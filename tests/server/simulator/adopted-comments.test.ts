import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'

// The demo's simulator adopts comments it never delivered (its seeded history), so agents can act on them; a
// comment it knows was deleted is still refused, as Graph refuses it.
let sim: Simulator
const page = '104455667788993'

beforeAll(async () => {
  sim = await startSimulator({ adoptUnknownComments: true })
  sim.addAccount({ kind: 'facebook', externalId: page, secrets: { appSecret: 's', accessToken: 'page-token' } })
})
afterAll(async () => {
  await sim.close()
})

function call(method: string, path: string, body?: Record<string, unknown>) {
  return fetch(`${sim.apiBaseUrl('facebook')}${path}`, {
    method,
    headers: { authorization: 'Bearer page-token', ...(body && { 'content-type': 'application/json' }) },
    ...(body && { body: JSON.stringify(body) }),
  })
}

describe('a simulator that adopts unknown comments', () => {
  it('hides, likes and answers a comment from before it started, and describes its post', async () => {
    const comment = `${page.slice(-6)}_900000000000001`
    expect((await call('POST', `/${comment}`, { is_hidden: true })).status).toBe(200)
    expect(sim.comment(comment)?.isHidden).toBe(true)
    expect((await call('POST', `/${comment}/likes`)).status).toBe(200)
    expect((await call('POST', `/${comment}/comments`, { message: 'Thanks!' })).status).toBe(200)
    const post = await call('GET', `/${page}_777?fields=id,message,permalink_url`)
    expect(post.status).toBe(200)
    expect(await post.json()).toMatchObject({ id: `${page}_777`, permalink_url: expect.stringContaining('facebook.com') })
  })

  it('still refuses a comment it knows was deleted', async () => {
    const comment = `${page.slice(-6)}_900000000000002`
    expect((await call('DELETE', `/${comment}`)).status).toBe(200)
    const again = await call('POST', `/${comment}`, { is_hidden: true })
    expect(again.status).toBe(400)
    expect(((await again.json()) as { error: { code: number } }).error.code).toBe(100)
  })
})
