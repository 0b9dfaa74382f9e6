import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoSurveyAnswers } from '../../../server/src/demo/demo-surveys.js'
import {
  personaIdentity,
  personas,
  startSimulator,
  startWebhookReceiver,
  type SimAccount,
  type Simulator,
  type WebhookReceiver,
} from '../../../server/src/simulator/index.js'

// The demo's customers answer the surveys Carebox sends them, by tapping the platform's buttons.
const phoneNumberId = '130000000000002'
let sim: Simulator
let receiver: WebhookReceiver
let account: SimAccount

beforeAll(async () => {
  sim = await startSimulator({ receipts: false })
  receiver = await startWebhookReceiver()
  account = { kind: 'whatsapp', externalId: phoneNumberId, secrets: { appSecret: 's', accessToken: 'wa-token' }, webhookUrl: receiver.url }
  sim.addAccount(account)
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

/** Carebox's survey, as its WhatsApp connector sends it: a list of five answers carrying the survey's token. */
async function sendSurvey(to: string, token: string): Promise<void> {
  const response = await fetch(`${sim.apiBaseUrl('whatsapp')}/${phoneNumberId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer wa-token' },
    body: JSON.stringify({
      messaging_product: 'whatsapp',
      to,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'How did we do? Tap a number from 1 (poor) to 5 (great), or reply with one.' },
        action: {
          button: 'Rate us',
          sections: [{ title: 'Rate us', rows: [1, 2, 3, 4, 5].map((n) => ({ id: `csat:${token}:${n}`, title: `${n}` })) }],
        },
      },
    }),
  })
  expect(response.status).toBe(200)
}

describe('demo survey answers', () => {
  it('taps a rating on the survey a persona received, and says why when it is low', async () => {
    const persona = personas.find((p) => p.channels.includes('whatsapp') && p.language === 'en')!
    const customer = personaIdentity(persona, 'whatsapp').id
    // The dice: answers (not silent, no thanks), then rates 1, then says why.
    const rolls = [0.5, 0.95, 0.1, 0.1]
    const answers = startDemoSurveyAnswers(sim, [account], pino({ level: 'silent' }), { random: () => rolls.shift() ?? 0.5, pace: 0, checkEveryMs: 20 })
    try {
      await sendSurvey(customer, 'demoTok1')
      const [tap, why] = await receiver.waitFor(2, 5000)
      const tapped = JSON.parse(tap!.rawBody.toString()).entry[0].changes[0].value.messages[0]
      expect(tapped).toMatchObject({ from: customer, type: 'interactive', interactive: { list_reply: { id: 'csat:demoTok1:1' } } })
      const comment = JSON.parse(why!.rawBody.toString()).entry[0].changes[0].value.messages[0]
      expect(comment.text.body).toMatch(/three days|delayed/)
    } finally {
      answers.stop()
    }
  })

  it('answers nothing to someone who is not one of its personas', async () => {
    const before = receiver.received.length
    const answers = startDemoSurveyAnswers(sim, [account], pino({ level: 'silent' }), { random: () => 0.5, pace: 0, checkEveryMs: 20 })
    try {
      await sendSurvey('5511900000000', 'demoTok2')
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(receiver.received.length).toBe(before)
    } finally {
      answers.stop()
    }
  })
})
