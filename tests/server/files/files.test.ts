import { createHash, randomUUID } from 'node:crypto'
import type { Message, UploadedFile } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../../server/src/context.js'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { buildTestApp } from '../../support/app.js'
import { signedInAs, type SignedIn } from '../../support/auth.js'
import { type createTestClock, createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'
import { exeBytes, mp3Bytes, pdfBytes, pngBytes } from '../../support/files.js'
import { processQueue } from '../../support/queue.js'
import { connectWhatsApp } from '../../support/whatsapp-account.js'

// Files out, end to end against the simulator: an upload is checked as the platform would check it and leaves
// nothing behind when refused; a reply carries it through the platform's media API; a failed send keeps it.
const phoneNumberId = '130000000000931'
const businessAccountId = '120000000000931'
const appSecret = 'files-app-secret'

let database: TestDatabase
let ctx: AppContext
let clock: ReturnType<typeof createTestClock>
let app: FastifyInstance
let sim: Simulator
let agent: SignedIn
let channelId: string
let conversationId: string

function upload(name: string, type: string, bytes: Buffer, who: SignedIn = agent, conversation = conversationId) {
  return app.inject({
    method: 'POST',
    url: `/api/conversations/${conversation}/files?${new URLSearchParams({ name, type }).toString()}`,
    headers: { ...who.headers, 'content-type': 'application/octet-stream' },
    payload: bytes,
  })
}

function reply(body: Record<string, unknown>) {
  return app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/replies`,
    headers: agent.headers,
    payload: { clientKey: randomUUID(), ...body },
  })
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const fileCount = async () =>
  Number(
    (
      await ctx.db
        .selectFrom('files')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

async function uploaded(name: string, type: string, bytes: Buffer): Promise<UploadedFile> {
  const response = await upload(name, type, bytes)
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

/** The simulator's record of the send that delivered a file with these bytes. */
function mediaSendOf(bytes: Buffer) {
  return sim.sends.find((send) => send.media?.sha256 === sha256(bytes))
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  clock = ctx.clock as typeof clock
  // The expiry job waits for the database's clock: the test's clock starts at the real time and moves past it.
  clock.set(new Date())
  app = await buildTestApp(ctx)
  const appUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  agent = await signedInAs(ctx, app, 'admin')
  sim = await startSimulator({ retryScheduleMs: [20, 50], receipts: false })
  channelId = await connectWhatsApp(ctx, sim, appUrl, { name: 'Files WhatsApp', phoneNumberId, businessAccountId, appSecret })
  await sim.customerWrites(phoneNumberId, { from: { id: '5511999000931', name: 'Rosa' }, text: 'Can you send me the invoice?', at: clock.now() })
  await processQueue(ctx, database.pool)
  conversationId = (await ctx.db.selectFrom('conversations').select('id').where('channelId', '=', channelId).executeTakeFirstOrThrow()).id
})
afterAll(async () => {
  await app.close()
  await sim.close()
  await database.drop()
})

describe('uploading a file for a reply', () => {
  it('stores a file the channel takes and says what it is', async () => {
    const file = await uploaded('receipt.png', 'image/png', pngBytes)
    expect(file).toMatchObject({ name: 'receipt.png', mimeType: 'image/png', size: pngBytes.length, kind: 'image' })
    const row = await ctx.db.selectFrom('files').selectAll().where('id', '=', file.id).executeTakeFirstOrThrow()
    expect(row.sha256).toBe(sha256(pngBytes))
    expect(await ctx.files.get(row.storageKey)).toEqual(pngBytes)
  })

  it.each([
    ['a file over the limit', 'big.png', 'image/png', Buffer.concat([pngBytes, Buffer.alloc(5 * 1024 * 1024)]), 413, 'WhatsApp takes images up to 5 MB'],
    ['a refused type', 'tool.exe', 'application/x-msdownload', exeBytes, 400, 'does not take application/x-msdownload'],
    ['bytes that are not the declared type', 'photo.png', 'image/png', exeBytes, 400, 'not a PNG image: they look like a Windows program'],
    ['a PDF sent as a picture', 'photo.jpg', 'image/jpeg', pdfBytes, 400, 'look like a PDF document'],
    ['a name with a path', '../../etc/passwd.pdf', 'application/pdf', pdfBytes, 400, 'cannot contain a path'],
    ['a name with a control character', 'invoice\u0007.pdf', 'application/pdf', pdfBytes, 400, 'control or text-direction characters'],
    ['a name that reverses its text', 'invoice\u202Efdp.exe', 'application/pdf', pdfBytes, 400, 'control or text-direction characters'],
    ['an empty file', 'empty.txt', 'text/plain', Buffer.alloc(0), 400, 'The file is empty'],
  ])('refuses %s with a clear error and stores nothing', async (_what, name, type, bytes, status, words) => {
    const before = await fileCount()
    const response = await upload(name, type, bytes)
    expect(response.statusCode).toBe(status)
    expect(response.json().error.message).toContain(words)
    expect(await fileCount()).toBe(before)
  })

  it('does not let a teammate of another team upload to the conversation', async () => {
    const team = await ctx.db.insertInto('teams').values({ name: 'Elsewhere' }).returning('id').executeTakeFirstOrThrow()
    const outsider = await signedInAs(ctx, app, 'agent', [team.id])
    const response = await upload('receipt.png', 'image/png', pngBytes, outsider)
    expect(response.statusCode).toBe(404)
  })
})

describe('sending a file', () => {
  it('sends an image with its caption through the platform media API and shows it in the thread', async () => {
    const image = Buffer.concat([pngBytes, Buffer.from('caption test')])
    const file = await uploaded('label.png', 'image/png', image)
    const response = await reply({ text: 'Here is your return label.', fileId: file.id })
    expect(response.statusCode, response.body).toBe(200)
    const message: Message = response.json()
    expect(message.attachments).toEqual([{ kind: 'image', name: 'label.png', mimeType: 'image/png', fileId: file.id, size: image.length }])
    await processQueue(ctx, database.pool)

    const send = mediaSendOf(image)
    expect(send?.media).toMatchObject({ mimeType: 'image/png', size: image.length, caption: 'Here is your return label.' })
    const row = await ctx.db.selectFrom('messages').select(['status', 'externalId']).where('id', '=', message.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'sent', externalId: send?.platformMessageId })

    // The console loads it from Carebox's copy, with the type it was checked as.
    const served = await app.inject({ method: 'GET', url: `/api/messages/${message.id}/attachments/0`, headers: agent.headers })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/png')
    expect(served.rawPayload).toEqual(image)
  })

  it('sends a file without words', async () => {
    const file = await uploaded('invoice 2291.pdf', 'application/pdf', pdfBytes)
    const response = await reply({ text: '', fileId: file.id })
    expect(response.statusCode, response.body).toBe(200)
    await processQueue(ctx, database.pool)
    expect(mediaSendOf(pdfBytes)?.media).toMatchObject({ name: 'invoice 2291.pdf', mimeType: 'application/pdf', size: pdfBytes.length })
  })

  it('sends the text after the file where the platform carries no caption (WhatsApp audio)', async () => {
    const file = await uploaded('how-to.mp3', 'audio/mpeg', mp3Bytes)
    const response = await reply({ text: 'Listen to the steps above.', fileId: file.id })
    expect(response.statusCode, response.body).toBe(200)
    await processQueue(ctx, database.pool)
    const rows = await ctx.db
      .selectFrom('messages')
      .select(['text', 'attachments', 'status'])
      .where('conversationId', '=', conversationId)
      .where('direction', '=', 'outbound')
      .orderBy('sentAt', 'desc')
      .orderBy('createdAt', 'desc')
      .limit(2)
      .execute()
    expect(rows.map((r) => [r.text, (r.attachments as unknown[]).length, r.status])).toEqual([
      ['Listen to the steps above.', 0, 'sent'],
      ['', 1, 'sent'],
    ])
    const audio = sim.sends.indexOf(mediaSendOf(mp3Bytes)!)
    const text = sim.sends.findIndex((s) => (s.body as { text?: { body: string } }).text?.body === 'Listen to the steps above.')
    expect(audio).toBeGreaterThanOrEqual(0)
    expect(text).toBeGreaterThan(audio)
  })

  it('refuses an empty reply, a file sent twice, and a file uploaded by someone else', async () => {
    expect((await reply({ text: '   ' })).json().error.message).toBe('Write a reply or attach a file.')
    const file = await uploaded('twice.png', 'image/png', pngBytes)
    expect((await reply({ text: '', fileId: file.id })).statusCode).toBe(200)
    const again = await reply({ text: 'again', fileId: file.id })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.message).toContain('went with another reply already')

    const teammate = await signedInAs(ctx, app, 'admin')
    const theirs = (await upload('theirs.png', 'image/png', pngBytes, teammate)).json() as UploadedFile
    const refused = await reply({ text: 'using their file', fileId: theirs.id })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.message).toContain('not uploaded to this conversation by you')
  })

  it('keeps the file of a failed send, and Retry sends it', async () => {
    const image = Buffer.concat([pngBytes, Buffer.from('retry test')])
    const file = await uploaded('retry.png', 'image/png', image)
    await ctx.db.updateTable('channels').set({ enabled: false }).where('id', '=', channelId).execute()
    const message: Message = (await reply({ text: 'Second try', fileId: file.id })).json()
    await processQueue(ctx, database.pool)
    expect((await ctx.db.selectFrom('messages').select('status').where('id', '=', message.id).executeTakeFirstOrThrow()).status).toBe('failed')
    expect(mediaSendOf(image)).toBeUndefined()

    await ctx.db.updateTable('channels').set({ enabled: true }).where('id', '=', channelId).execute()
    const retried = await app.inject({ method: 'POST', url: `/api/messages/${message.id}/retry`, headers: agent.headers })
    expect(retried.statusCode, retried.body).toBe(200)
    await processQueue(ctx, database.pool)
    expect(mediaSendOf(image)?.media).toMatchObject({ name: 'retry.png', caption: 'Second try' })
  })
})

describe('uploads nobody sends', () => {
  it('removes them after a day, and keeps files that went out', async () => {
    const unsent = await uploaded('forgotten.png', 'image/png', Buffer.concat([pngBytes, Buffer.from('forgotten')]))
    const unsentKey = (await ctx.db.selectFrom('files').select('storageKey').where('id', '=', unsent.id).executeTakeFirstOrThrow()).storageKey
    const sentRows = await ctx.db.selectFrom('files').select(['id', 'storageKey']).where('messageId', 'is not', null).execute()
    expect(sentRows.length).toBeGreaterThan(0)

    // Every job scheduled for later runs now, the expiry a day after each upload among them.
    await processQueue(ctx, database.pool, { runScheduled: true })

    expect(await ctx.db.selectFrom('files').select('id').where('id', '=', unsent.id).executeTakeFirst()).toBeUndefined()
    expect(await ctx.files.get(unsentKey)).toBeUndefined()
    for (const row of sentRows) {
      expect(await ctx.db.selectFrom('files').select('id').where('id', '=', row.id).executeTakeFirst()).toBeDefined()
      expect(await ctx.files.get(row.storageKey)).toBeDefined()
    }
  })
})
