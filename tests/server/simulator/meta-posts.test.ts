import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'

let sim: Simulator
let graph: string
const page = '104455667788992'
const ig = '17841400000000003'
const dayMs = 86_400_000

beforeAll(async () => {
  sim = await startSimulator({ receipts: false })
  graph = sim.apiBaseUrl('facebook')
  // Polled accounts: customers' comments are remembered without a webhook to deliver.
  sim.addAccount({ kind: 'facebook', externalId: page, secrets: { accessToken: 'page-token' }, handle: 'Brand' })
  sim.addAccount({ kind: 'instagram', externalId: ig, secrets: { accessToken: 'ig-token' }, handle: 'brand' })
})
afterAll(async () => {
  await sim.close()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph answers are asserted field by field
type GraphBody = any

async function get(path: string, token: string) {
  const response = await fetch(`${graph}${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, body: (await response.json()) as GraphBody }
}

const graphTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/

describe('GET /{post-id} (Facebook)', () => {
  it('makes up the post a comment names: message, permalink, created a day before, and a picture on the simulator', async () => {
    const postId = `${page}_311122233344455`
    const at = new Date('2026-03-02T10:00:00Z')
    await sim.customerWrites(page, { from: { id: '5566778899001122', name: 'Dana' }, text: 'Blue?', kind: 'comment', postId, at })

    const response = await get(`/${postId}?fields=id,message,permalink_url,created_time,full_picture`, 'page-token')

    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      id: postId,
      message: expect.any(String),
      permalink_url: `https://www.facebook.com/${page}/posts/311122233344455`,
      created_time: '2026-03-01T10:00:00+0000',
      full_picture: expect.stringMatching(new RegExp(`^${sim.url}/_sim/media/`)),
    })
    expect(response.body.message.length).toBeGreaterThan(10)
    expect(new URL(response.body.full_picture).hostname).toBe('127.0.0.1')
    const picture = await fetch(response.body.full_picture)
    expect(picture.status).toBe(200)
    expect(picture.headers.get('content-type')).toBe('image/png')
  })

  it('narrows attachments to the subfields asked for, and answers created_time, message and id when no fields are named', async () => {
    const postId = `${page}_311122233344466`
    await sim.customerWrites(page, { from: { id: '5566778899001122', name: 'Dana' }, text: 'Price?', kind: 'comment', postId })

    const withAttachments = await get(`/${postId}?fields=status_type,attachments{media_type,media}`, 'page-token')
    const plain = await get(`/${postId}`, 'page-token')

    expect(withAttachments.body).toEqual({
      id: postId,
      status_type: 'added_photos',
      attachments: { data: [{ media_type: 'photo', media: { image: { height: 160, width: 240, src: expect.stringContaining('/_sim/media/') } } }] },
    })
    expect(Object.keys(plain.body).sort()).toEqual(['created_time', 'id', 'message'])
  })

  it('answers a post set with addPost as given', async () => {
    const postId = `${page}_311122233344477`
    const createdAt = new Date('2026-02-14T08:30:00Z')
    sim.addPost(page, { id: postId, text: 'Valentine’s box, 20% off', createdAt, pictureUrl: null })
    await sim.customerWrites(page, { from: { id: '5566778899001122', name: 'Dana' }, text: 'Still on?', kind: 'comment', postId })

    const response = await get(`/${postId}?fields=id,message,permalink_url,created_time,full_picture`, 'page-token')

    expect(response.body).toEqual({
      id: postId,
      message: 'Valentine’s box, 20% off',
      permalink_url: `https://www.facebook.com/${page}/posts/311122233344477`,
      created_time: '2026-02-14T08:30:00+0000',
    })
    expect(sim.post(postId)).toMatchObject({ kind: 'facebook', accountExternalId: page, pictureUrl: null })
  })

  it('answers code 100 subcode 33 for a post it does not know and 190 for a wrong token', async () => {
    const postId = `${page}_311122233344488`
    await sim.customerWrites(page, { from: { id: '5566778899001122', name: 'Dana' }, text: 'Hm', kind: 'comment', postId })

    const unknown = await get(`/${page}_999?fields=id,message`, 'page-token')
    const wrongToken = await get(`/${postId}?fields=id,message`, 'nope')

    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toMatchObject({
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      message: expect.stringMatching(/^Unsupported get request/),
    })
    expect(wrongToken.status).toBe(401)
    expect(wrongToken.body.error).toMatchObject({ code: 190 })
  })
})

describe('GET /{ig-media-id} (Instagram)', () => {
  it('makes up the media a comment names: caption, IMAGE, a picture on the simulator, an instagram.com/p/ permalink', async () => {
    const mediaId = '17950000000000111'
    const at = new Date(Date.now() - 2 * dayMs)
    await sim.customerWrites(ig, { from: { id: '1234567890123456', name: 'Maya', handle: 'maya.k' }, text: 'Refund?', kind: 'comment', mediaId, at })

    const response = await get(`/${mediaId}?fields=id,caption,media_type,media_url,permalink,timestamp,comments_count`, 'ig-token')

    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      id: mediaId,
      caption: expect.any(String),
      media_type: 'IMAGE',
      media_url: expect.stringMatching(new RegExp(`^${sim.url}/_sim/media/`)),
      permalink: expect.stringMatching(/^https:\/\/www\.instagram\.com\/p\/[\w-]{11}\/$/),
      timestamp: expect.stringMatching(graphTime),
      comments_count: 1,
    })
    expect(new Date(response.body.timestamp.replace('+0000', 'Z')).getTime()).toBe(Math.floor((at.getTime() - dayMs) / 1000) * 1000)
    expect((await fetch(response.body.media_url)).status).toBe(200)
  })

  it('keeps a made-up media older than every comment under it, and the id only when no fields are named', async () => {
    const mediaId = '17950000000000222'
    await sim.customerWrites(ig, { from: { id: '1234567890123456', name: 'Maya' }, text: 'Nice', kind: 'comment', mediaId })
    const older = new Date(Date.now() - 5 * dayMs)
    await sim.customerWrites(ig, { from: { id: '1234567890123457', name: 'Lou' }, text: 'Old one', kind: 'comment', mediaId, at: older })

    const plain = await get(`/${mediaId}`, 'ig-token')

    expect(plain.body).toEqual({ id: mediaId })
    expect(sim.post(mediaId)!.createdAt.getTime()).toBe(older.getTime() - dayMs)
  })

  it('answers a media set with addPost as given', async () => {
    const mediaId = '17950000000000333'
    sim.addPost(ig, { id: mediaId, text: 'Launch day 🚀', permalink: 'https://www.instagram.com/p/LAUNCHDAY01/' })

    const response = await get(`/${mediaId}?fields=caption,permalink`, 'ig-token')

    expect(response.body).toEqual({ id: mediaId, caption: 'Launch day 🚀', permalink: 'https://www.instagram.com/p/LAUNCHDAY01/' })
  })
})
