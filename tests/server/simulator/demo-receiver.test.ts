import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../../server/src/simulator/index.js'
import { generateWebhookSecret, webhookSignature } from '../../../server/src/webhooks/signature.js'

// The demo's example receiver, as Carebox's deliverer reaches it: signed with Carebox's own signing code, checked
// by the standardwebhooks library inside the simulator.
let sim: Simulator
let receiverUrl: string
const secret = generateWebhookSecret()

beforeAll(async () => {
  sim = await startSimulator({ receipts: false })
  receiverUrl = `${sim.url}/demo-receiver`
})
afterAll(async () => {
  await sim.close()
})
afterEach(() => {
  sim.demoReceiver.trust([secret])
})

function now(): number {
  return Math.floor(Date.now() / 1000)
}

/** A delivery as Carebox sends it: the body's bytes signed with each secret, posted with the three headers. */
async function deliver(body: string, options: { id?: string; secrets?: string[]; timestamp?: number; sentBody?: string } = {}) {
  const id = options.id ?? `evt_${Math.floor(Math.random() * 1e9)}`
  const timestamp = options.timestamp ?? now()
  const response = await fetch(receiverUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': webhookSignature(options.secrets ?? [secret], id, timestamp, body),
    },
    body: options.sentBody ?? body,
  })
  return { id, status: response.status, text: await response.text() }
}

function eventBody(id: string, type = 'conversation.created'): string {
  return JSON.stringify({ id, type, occurred_at: new Date().toISOString(), team_id: null, data: { conversation: { id: 'c1' } } })
}

describe('the demo receiver', () => {
  it('accepts a delivery signed with the secret it trusts, and remembers it as verified', async () => {
    sim.demoReceiver.trust([secret])
    const id = 'evt_1001'

    const answer = await deliver(eventBody(id, 'message.created'), { id })

    expect(answer.status).toBe(200)
    expect(sim.demoReceiver.received()[0]).toMatchObject({ id, type: 'message.created', isVerified: true, problem: null, isRepeat: false })
  })

  it('rejects a tampered body with 400 and the library’s reason', async () => {
    sim.demoReceiver.trust([secret])
    const body = eventBody('evt_1002')

    const answer = await deliver(body, { id: 'evt_1002', sentBody: body.replace('c1', 'c2') })

    expect(answer.status).toBe(400)
    expect(answer.text).toBe('Signature not accepted: No matching signature found')
    expect(sim.demoReceiver.received()[0]).toMatchObject({ id: 'evt_1002', isVerified: false, problem: 'No matching signature found' })
  })

  it('rejects a signature made with another secret, and a delivery whose timestamp is too old', async () => {
    sim.demoReceiver.trust([secret])

    const wrongSecret = await deliver(eventBody('evt_1003'), { id: 'evt_1003', secrets: [generateWebhookSecret()] })
    const stale = await deliver(eventBody('evt_1004'), { id: 'evt_1004', timestamp: now() - 10 * 60 })

    expect(wrongSecret.status).toBe(400)
    expect(stale.status).toBe(400)
    expect(stale.text).toContain('Message timestamp too old')
  })

  it('accepts a delivery during a rotation, signed with the old and the new secret, knowing only the new one', async () => {
    const next = generateWebhookSecret()
    sim.demoReceiver.trust(async () => [next])

    const answer = await deliver(eventBody('evt_1005'), { id: 'evt_1005', secrets: [next, secret] })

    expect(answer.status).toBe(200)
  })

  it('says it has no secret before the demo gives it one', async () => {
    sim.demoReceiver.trust([])

    const answer = await deliver(eventBody('evt_1006'), { id: 'evt_1006' })

    expect(answer.status).toBe(400)
    expect(sim.demoReceiver.received()[0]?.problem).toBe('This receiver has no secret to check signatures with.')
  })

  it('marks a delivery it already verified as a repeat (a retry or a replay keeps its webhook-id)', async () => {
    sim.demoReceiver.trust([secret])
    const body = eventBody('evt_1007')

    await deliver(body, { id: 'evt_1007' })
    const again = await deliver(body, { id: 'evt_1007' })

    expect(again.status).toBe(200)
    expect(again.text).toBe('ok, already received')
    expect(sim.demoReceiver.received()[0]).toMatchObject({ id: 'evt_1007', isVerified: true, isRepeat: true })
  })

  it('keeps the last 100 deliveries, newest first', async () => {
    sim.demoReceiver.trust([secret])

    for (let i = 0; i < 105; i++) await deliver(eventBody(`evt_2${i}`), { id: `evt_2${i}` })

    const received = sim.demoReceiver.received()
    expect(received).toHaveLength(100)
    expect(received[0]?.id).toBe('evt_2104')
  })

  it('shows what it received on a page where everything posted is text', async () => {
    sim.demoReceiver.trust([secret])
    const hostile = '<script>alert(1)</script>'
    await deliver(eventBody('evt_3001', hostile), { id: 'evt_3001' })
    await deliver(eventBody('evt_3002'), { id: `<img src=x onerror=alert(2)>`, secrets: [generateWebhookSecret()] })

    const page = await fetch(receiverUrl)
    const html = await page.text()

    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
    expect(html).toContain('&#60;img src=x onerror=alert(2)&#62;')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).toContain('Rejected</span>: No matching signature found')
    expect(html).toMatch(/Verified<\/span>/)
  })
})
