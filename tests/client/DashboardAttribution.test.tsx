import type { AttributionReport, AttributionRow } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { DashboardPage } from '../../client/src/features/dashboard/DashboardPage'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import { arrangeDashboard, reportUrl, summaryOf } from './report-fixtures'

function rowOf(overrides: Partial<AttributionRow> = {}): AttributionRow {
  return {
    source: 'ad',
    campaign: null,
    headline: null,
    conversations: 0,
    answered: 0,
    responseRate: null,
    firstResponse: { median: null, p90: null, count: 0 },
    resolved: 0,
    resolutionRate: null,
    ratings: 0,
    satisfied: 0,
    satisfaction: null,
    leads: 0,
    purchases: 0,
    revenue: [],
    ...overrides,
  }
}

function reportOf(overrides: Partial<AttributionReport> = {}): AttributionReport {
  return {
    period: summaryOf().period,
    bySource: [rowOf({ source: 'ad' }), rowOf({ source: 'link' }), rowOf({ source: 'organic' })],
    byCampaign: [],
    ...overrides,
  }
}

const spring = rowOf({
  campaign: '120226305854810726',
  headline: '<b>Spring</b> sale',
  conversations: 2,
  answered: 2,
  responseRate: 1,
  firstResponse: { median: 450, p90: 570, count: 2 },
  resolved: 1,
  resolutionRate: 0.5,
  ratings: 1,
  satisfied: 1,
  satisfaction: 100,
  leads: 1,
  purchases: 1,
  revenue: [{ currency: 'EUR', value: 129 }],
})

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('lead'))
  window.history.replaceState(null, '', '/dashboard')
  useStore.getState().syncPath('/dashboard')
})

function cellsOf(table: HTMLElement, rowName: RegExp): string[] {
  const row = within(table).getByRole('row', { name: rowName })
  return within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent ?? '')
}

describe('DashboardPage: ads and links', { timeout: 20_000 }, () => {
  it('shows each source and campaign with its figures, an advertiser’s headline as text', async () => {
    arrangeDashboard(api)
    api.on('GET', reportUrl('/api/reports/attribution'), [
      200,
      reportOf({
        bySource: [
          { ...spring, campaign: null, headline: null },
          rowOf({ source: 'link' }),
          rowOf({ source: 'organic', conversations: 3, answered: 1, responseRate: 1 / 3 }),
        ],
        byCampaign: [spring],
      }),
    ])

    render(<DashboardPage />)

    const part = await screen.findByRole('region', { name: 'Ads and links' })
    const bySource = await within(part).findByRole('table', { name: 'By source' })
    expect(cellsOf(bySource, /^Ads/)).toEqual(['2', '100%', '7 min 30 s', '50%', '100%', '1', '1', '€129.00'])
    expect(cellsOf(bySource, /^Organic/)).toEqual(['3', '33.3%', '—', '—', '—', '0', '0', '—'])
    const byCampaign = within(part).getByRole('table', { name: 'By campaign' })
    const campaign = within(byCampaign).getByRole('rowheader')
    expect(campaign).toHaveTextContent('“<b>Spring</b> sale” ad 120226305854810726 · ads')
    expect(campaign.querySelector('b')).toBeNull()
    expect(within(part).getByRole('figure', { name: 'Conversations by source' })).toBeInTheDocument()
  })

  it('says what will fill it when no conversation came in the period', async () => {
    arrangeDashboard(api)
    api.on('GET', reportUrl('/api/reports/attribution'), [200, reportOf()])

    render(<DashboardPage />)

    const part = await screen.findByRole('region', { name: 'Ads and links' })
    await waitFor(() => expect(part).toHaveTextContent(/No conversations in this period\. When customers arrive from a Messenger, Instagram or WhatsApp ad/))
    expect(within(part).queryByRole('table')).toBeNull()
  })

  it('asks for the same period and filters as the other figures', async () => {
    const query = { period: '30d' as const, channelId: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1b001' }
    arrangeDashboard(api, query)
    api.on('GET', reportUrl('/api/reports/attribution', query), [200, reportOf()])
    window.history.replaceState(null, '', `/dashboard?period=30d&channelId=${query.channelId}`)

    render(<DashboardPage />)

    await waitFor(() => expect(api.requests('GET', reportUrl('/api/reports/attribution', query))).toHaveLength(1))
  })
})
