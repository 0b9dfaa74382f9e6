import type { ConversationAttribution, ConversationOutcome, ConversationReferral } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationId, conversationOf } from './conversation-fixtures'
import { fakeApi, sessionOf, userOf } from './fake-api'

const attributionUrl = `/api/conversations/${conversationId}/attribution`
const outcomesUrl = `/api/conversations/${conversationId}/outcomes`

function referralOf(overrides: Partial<ConversationReferral> = {}): ConversationReferral {
  return {
    id: crypto.randomUUID(),
    kind: 'ad',
    source: 'ADS',
    ref: null,
    adId: '120226305854810726',
    sourceId: null,
    sourceType: null,
    sourceUrl: null,
    headline: 'Spring sale',
    hasClickId: false,
    firstTouch: true,
    receivedAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  }
}

function attributionOf(overrides: Partial<ConversationAttribution> = {}): ConversationAttribution {
  const firstTouch = 'firstTouch' in overrides ? (overrides.firstTouch ?? null) : referralOf()
  return { conversationId, firstTouch, referrals: firstTouch ? [firstTouch] : [], outcomes: [], sendsConversions: true, ...overrides }
}

function outcomeOf(overrides: Partial<ConversationOutcome> = {}): ConversationOutcome {
  return {
    id: crypto.randomUUID(),
    kind: 'purchase',
    value: 129.9,
    currency: 'EUR',
    recordedBy: { id: userOf('agent').id, name: 'Maya Agent' },
    conversion: { status: 'pending', error: null, sentAt: null },
    createdAt: '2026-03-02T10:00:00.000Z',
    ...overrides,
  }
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('agent'))
})

async function open(
  attribution: ConversationAttribution,
  conversation = conversationOf({ channel: { id: crypto.randomUUID(), kind: 'instagram', name: 'Acme on Instagram' } }),
) {
  api.on('GET', attributionUrl, [200, attribution])
  arrangeOpenConversation(api, { conversation })
  render(<ConversationPane />)
  return screen.findByRole('region', { name: 'Source' })
}

describe('ConversationAttribution', { timeout: 20_000 }, () => {
  it('says which ad the customer came from, with the platform and the ad id, and links to the ad safely', async () => {
    const block = await open(attributionOf({ firstTouch: referralOf({ sourceUrl: 'https://fb.me/3cr4Wqqkv' }) }))

    await waitFor(() => expect(block).toHaveTextContent('Came from the ad “Spring sale” (Instagram ad, id 120226305854810726)'))
    const link = within(block).getByRole('link', { name: 'Open the ad' })
    expect(link).toHaveAttribute('href', 'https://fb.me/3cr4Wqqkv')
    expect(link).toHaveAttribute('rel', 'noopener noreferrer')
    expect(link).toHaveAttribute('target', '_blank')
  })

  it('says which link the customer came from by its ref', async () => {
    const block = await open(
      attributionOf({ firstTouch: referralOf({ kind: 'link', source: 'SHORTLINK', adId: null, headline: null, ref: 'qr-store-berlin' }) }),
    )

    await waitFor(() => expect(block).toHaveTextContent('Came from the link ref=qr-store-berlin'))
  })

  it('shows an advertiser’s text as text, and makes no link of an address that is not http(s)', async () => {
    const headline = '<img src=x onerror="alert(1)"> Free'
    const block = await open(attributionOf({ firstTouch: referralOf({ headline, sourceUrl: 'javascript:alert(1)' }) }))

    await waitFor(() => expect(block).toHaveTextContent(`Came from the ad “${headline}”`))
    expect(block.querySelector('img')).toBeNull()
    expect(within(block).queryByRole('link')).toBeNull()
  })

  it('folds later ads and links beneath the first touch', async () => {
    const first = referralOf()
    const later = referralOf({ kind: 'link', source: 'SHORTLINK', adId: null, headline: null, ref: 'newsletter', firstTouch: false })
    const block = await open(attributionOf({ firstTouch: first, referrals: [first, later] }))

    await userEvent.click(await within(block).findByText('Came back through another ad or link'))

    expect(within(block).getByRole('listitem')).toHaveTextContent('Came from the link ref=newsletter')
  })

  it('says a Meta conversation came on its own when no ad or link brought it', async () => {
    const block = await open(attributionOf({ firstTouch: null }), conversationOf())

    await waitFor(() => expect(block).toHaveTextContent('No ad or link: the customer wrote on their own.'))
  })

  it('records a purchase with its value and shows it, and that it is on its way to Meta', async () => {
    api.on('POST', outcomesUrl, ({ body }) => [200, attributionOf({ outcomes: [outcomeOf({ value: (body as { value: number }).value })] })])
    const block = await open(attributionOf())

    await userEvent.click(within(block).getByRole('button', { name: 'Record outcome…' }))
    const dialog = screen.getByRole('dialog', { name: 'Record outcome' })
    await userEvent.click(within(dialog).getByRole('radio', { name: 'Purchase' }))
    await userEvent.type(within(dialog).getByLabelText('Value'), '129,90')
    await userEvent.type(within(dialog).getByLabelText('Currency'), 'eur')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Record' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(api.requests('POST', outcomesUrl).map((request) => request.body)).toEqual([{ kind: 'purchase', value: 129.9, currency: 'EUR' }])
    const outcomes = within(block).getByRole('list', { name: 'Outcomes' })
    expect(outcomes).toHaveTextContent(/Purchase, €129\.90 by Maya Agent · Sending to Meta…/)
  })

  it('asks for the value before recording a purchase, and sends nothing', async () => {
    const block = await open(attributionOf())

    await userEvent.click(within(block).getByRole('button', { name: 'Record outcome…' }))
    const dialog = screen.getByRole('dialog', { name: 'Record outcome' })
    await userEvent.click(within(dialog).getByRole('radio', { name: 'Purchase' }))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Record' }))

    expect(within(dialog).getByRole('alert')).toHaveTextContent('Enter the purchase value, such as 129.90.')
    expect(api.requests('POST', outcomesUrl)).toEqual([])
  })

  it('shows the server’s refusal in the dialog', async () => {
    api.on('POST', outcomesUrl, [409, { error: { code: 'conflict', message: 'A lead is already recorded on this conversation.' } }])
    const block = await open(attributionOf())

    await userEvent.click(within(block).getByRole('button', { name: 'Record outcome…' }))
    const dialog = screen.getByRole('dialog', { name: 'Record outcome' })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Record' }))

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('A lead is already recorded on this conversation.')
  })

  it('offers only what is not recorded yet, and says why Meta did not take an outcome', async () => {
    const lead = outcomeOf({
      kind: 'lead',
      value: null,
      currency: null,
      conversion: { status: 'failed', error: 'Meta refused the event (HTTP 400).', sentAt: null },
    })
    const block = await open(attributionOf({ outcomes: [lead] }))

    await waitFor(() =>
      expect(within(block).getByRole('list', { name: 'Outcomes' })).toHaveTextContent(
        'Lead by Maya Agent · Not sent to Meta: Meta refused the event (HTTP 400).',
      ),
    )
    await userEvent.click(within(block).getByRole('button', { name: 'Record outcome…' }))
    const dialog = screen.getByRole('dialog', { name: 'Record outcome' })
    expect(within(dialog).getByRole('radio', { name: /Lead/ })).toBeDisabled()
    expect(within(dialog).getByRole('radio', { name: 'Purchase' })).toBeChecked()
  })
})
