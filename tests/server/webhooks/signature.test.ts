import { describe, expect, it } from 'vitest'
import { nextAttemptDelayMs, webhookRetryDelaysMs } from '../../../server/src/webhooks/deliver.task.js'
import { generateWebhookSecret, webhookSignature } from '../../../server/src/webhooks/signature.js'
import { isDeliverableAddress } from '../../../server/src/webhooks/webhook-post.js'
import { Webhook } from './receiver.js'

// The known answer of integrations §1.1: secret bytes 0x01…0x20.
const secret = 'whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA='
const id = 'evt_01JF3Z8Q4K7V2N6M9P0R5T1W3Y'
const timestamp = 1767225600
const body =
  '{"id":"evt_01JF3Z8Q4K7V2N6M9P0R5T1W3Y","type":"conversation.created","occurred_at":"2026-01-01T00:00:00.000Z","team_id":"team_42","data":{"conversation":{"id":"conv_7Qk2"}}}'

describe('webhookSignature', () => {
  it('gives the known answer, and the same as the standardwebhooks library', () => {
    const signature = webhookSignature([secret], id, timestamp, body)

    expect(signature).toBe('v1,/ijoqg2Bhtfnaa+vMZ7GrHeWfENti2bzA/7UzNl2HIk=')
    expect(new Webhook(secret).sign(id, new Date(timestamp * 1000), body)).toBe(signature)
  })

  it('signs with every secret during a rotation, and the library accepts either', () => {
    const next = generateWebhookSecret()
    const now = Math.floor(Date.now() / 1000)

    const signature = webhookSignature([next, secret], id, now, body)

    expect(signature.split(' ')).toHaveLength(2)
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': signature }
    expect(new Webhook(next).verify(body, headers)).toEqual(JSON.parse(body))
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body))
  })

  it('makes whsec_ secrets of 32 random bytes', () => {
    const made = generateWebhookSecret()

    expect(made).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
    expect(Buffer.from(made.slice('whsec_'.length), 'base64')).toHaveLength(32)
    expect(generateWebhookSecret()).not.toBe(made)
  })
})

describe('nextAttemptDelayMs', () => {
  it('follows the Standard Webhooks schedule within ±10 %, and ends after the 10th attempt', () => {
    const low = webhookRetryDelaysMs.map((_, i) => nextAttemptDelayMs(i + 1, () => 0))
    const high = webhookRetryDelaysMs.map((_, i) => nextAttemptDelayMs(i + 1, () => 1))

    expect(webhookRetryDelaysMs).toEqual([5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 504e5, 72e6, 864e5])
    expect(low).toEqual(webhookRetryDelaysMs.map((ms) => Math.round(ms * 0.9)))
    expect(high).toEqual(webhookRetryDelaysMs.map((ms) => Math.round(ms * 1.1)))
    expect(nextAttemptDelayMs(10)).toBeNull()
  })
})

describe('isDeliverableAddress', () => {
  it.each([
    ['93.184.216.34', false, true],
    ['2606:2800:220:1:248:1893:25c8:1946', false, true],
    ['127.0.0.1', false, false],
    ['10.1.2.3', false, false],
    ['192.168.1.10', false, false],
    ['::1', false, false],
    ['::ffff:127.0.0.1', false, false],
    ['169.254.169.254', false, false],
    ['fd00::1', false, false],
    ['127.0.0.1', true, true],
    ['10.1.2.3', true, true],
    // The on-premise exception never opens link-local (cloud metadata) or unspecified addresses.
    ['169.254.169.254', true, false],
    ['fe80::1', true, false],
    ['0.0.0.0', true, false],
  ])('%s with the private exception %s: %s', (address, allowPrivate, expected) => {
    expect(isDeliverableAddress(address, allowPrivate)).toBe(expected)
  })
})
