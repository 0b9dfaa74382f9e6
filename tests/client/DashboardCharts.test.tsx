import type { ReportSummary, SurgeAlert } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { DashboardPage } from '../../client/src/features/dashboard/DashboardPage'
import { cellIntensity, robustMaximum } from '../../client/src/features/dashboard/heatmap-scale'
import { HourOfWeekHeatmap } from '../../client/src/features/dashboard/HourOfWeekHeatmap'
import { SurgesPanel } from '../../client/src/features/dashboard/SurgesPanel'
import { roundTimeTicks } from '../../client/src/features/dashboard/time-ticks'
import { VolumeChart } from '../../client/src/features/dashboard/VolumeChart'
import { channelPalette, otherColour, volumeSeriesOf } from '../../client/src/features/dashboard/volume-series'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import { arrangeDashboard, summaryOf, surge } from './report-fixtures'

beforeEach(() => {
  const api = fakeApi()
  arrangeDashboard(api)
  useStore.getState().startSession(sessionOf('lead'))
  window.history.replaceState(null, '', '/dashboard')
  useStore.getState().syncPath('/dashboard')
})

/** A summary with `count` channels, channel n having n × 10 inbound and n replied on one day. */
function summaryWithChannels(count: number): ReportSummary {
  const ids = Array.from({ length: count }, (_, n) => `0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1c${String(n + 1).padStart(3, '0')}`)
  return summaryOf({
    channels: ids.map((id, n) => ({ id, name: `Channel ${n + 1}`, kind: 'telegram' as const })),
    volume: ids.map((id, n) => ({ at: '2026-03-02', channelId: id, inbound: (n + 1) * 10, replied: n + 1 })),
  })
}

describe('volumeSeriesOf', () => {
  it('gives the six busiest channels a colour each and groups the rest as "Other" when there are fourteen', () => {
    const series = volumeSeriesOf(summaryWithChannels(14))

    expect(series.map((s) => s.name)).toEqual(['Channel 14', 'Channel 13', 'Channel 12', 'Channel 11', 'Channel 10', 'Channel 9', 'Other (8 channels)'])
    expect(series.map((s) => s.colour)).toEqual([...channelPalette, otherColour])
    expect(new Set(series.map((s) => s.colour)).size).toBe(7)
    expect(series.at(-1)?.channelIds).toHaveLength(8)
  })

  it('names every channel when one more than the palette would only make an "Other" of one', () => {
    const series = volumeSeriesOf(summaryWithChannels(7))

    expect(series.map((s) => s.name)).toEqual(['Channel 7', 'Channel 6', 'Channel 5', 'Channel 4', 'Channel 3', 'Channel 2', 'Channel 1'])
    expect(series.at(-1)?.colour).toBe(otherColour)
  })
})

describe('VolumeChart', () => {
  it('draws at most seven series in the legend, and keeps every channel in the figures table', () => {
    render(<VolumeChart summary={summaryWithChannels(14)} />)

    const legend = screen.getByRole('list', { name: 'Channels' })
    const items = within(legend).getAllByRole('listitem')
    expect(items).toHaveLength(8)
    expect(items[6]).toHaveTextContent('Other (8 channels)')
    expect(items[6]).toHaveAttribute('title', 'Channel 8, Channel 7, Channel 6, Channel 5, Channel 4, Channel 3, Channel 2, Channel 1')
    const figures = screen.getByRole('table', { name: 'Inbound and replied per day by channel' })
    expect(within(figures).getAllByRole('row')).toHaveLength(15)
    expect(within(figures).getByRole('row', { name: /Channel 1\s/ })).toHaveTextContent(/Channel 1\s*10\s*1/)
  })
})

describe('roundTimeTicks', () => {
  it('picks round times from zero past the highest value', () => {
    expect(roundTimeTicks(1_500)).toEqual([0, 300, 600, 900, 1_200, 1_500])
    expect(roundTimeTicks(5_000)).toEqual([0, 1_800, 3_600, 5_400])
    expect(roundTimeTicks(40)).toEqual([0, 10, 20, 30, 40])
    expect(roundTimeTicks(3 * 86_400 + 1)).toEqual([0, 86_400, 172_800, 259_200, 345_600])
    expect(roundTimeTicks(0)).toEqual([0, 60])
  })
})

describe('HourOfWeekHeatmap', () => {
  /** The cell's colour opacity; jsdom writes an opaque colour as rgb(). */
  const alphaOf = (cell: HTMLElement) => {
    const colour = cell.style.backgroundColor
    return colour.startsWith('rgb(') ? 1 : Number(/rgba\([^)]*,\s*([\d.]+)\)/.exec(colour)?.[1] ?? 'NaN')
  }

  it('scales colour to the 95th percentile of busy hours, so one busy hour does not whiten the rest', () => {
    // Forty hours of 4 messages, one of 2, and a single launch hour of 200 (Monday 10:00).
    const counts: number[] = Array.from({ length: 168 }, (_, index) => (index < 40 ? 4 : index === 40 ? 2 : 0))
    counts[1 * 24 + 10] = 200

    render(<HourOfWeekHeatmap counts={counts} />)

    const monday = screen.getByRole('row', { name: /^Mon/ })
    const sunday = screen.getByRole('row', { name: /^Sun/ })
    expect(alphaOf(within(monday).getAllByRole('cell')[10] as HTMLElement)).toBe(1)
    // Sunday 05:00 has 4: drawn at full colour too, not at 4/200 of it.
    expect(alphaOf(within(sunday).getAllByRole('cell')[5] as HTMLElement)).toBe(1)
    expect(alphaOf(within(monday).getAllByRole('cell')[16] as HTMLElement)).toBeCloseTo(0.56)
    expect(alphaOf(within(monday).getAllByRole('cell')[17] as HTMLElement)).toBe(0)
    expect(screen.getByText(/drawn darkest/)).toHaveTextContent('4 or more customer messages in an hour is drawn darkest (the busiest hour had 200)')
  })

  it('keeps the busiest hour as the top when no hour stands out', () => {
    expect(robustMaximum([0, 1, 2, 3, 0])).toBe(3)
    expect(robustMaximum([0, 0])).toBe(0)
    expect(cellIntensity(0, 5)).toBe('0')
    expect(cellIntensity(50, 5)).toBe('1.000')
  })
})

describe('SurgeItem', () => {
  const named: SurgeAlert = {
    ...surge,
    conversations: [
      {
        id: surge.conversationIds[0] as string,
        customerName: 'Priya Nair',
        channelName: 'Acme on WhatsApp',
        channelKind: 'whatsapp',
        preview: 'My kettle arrived broken',
      },
      { id: surge.conversationIds[1] as string, customerName: null, channelName: 'Acme on WhatsApp', channelKind: 'whatsapp', preview: '<b>refund</b> now' },
    ],
  }

  it('lists the conversations behind a surge by customer, channel and first words, each opening the conversation', async () => {
    const user = userEvent.setup()
    render(<SurgesPanel surges={[named]} error={undefined} />)

    const item = screen.getByRole('listitem', { name: 'More messages and more complaints than usual on Acme on WhatsApp' })
    const link = within(item).getByRole('link', { name: 'Priya Nair' })
    expect(link).toHaveAttribute('href', `/inbox/${surge.conversationIds[0]}`)
    expect(link.closest('li')).toHaveTextContent('Priya Nair on Acme on WhatsApp (WhatsApp Cloud API): My kettle arrived broken')
    const unknown = within(item).getByRole('link', { name: 'Unknown customer' })
    // Customer text is shown as text, never as markup.
    expect(unknown.closest('li')).toHaveTextContent('<b>refund</b> now')
    expect(item.querySelector('b')).toBeNull()
    expect(item).not.toHaveTextContent(/#[0-9a-f]{8}/)

    await user.click(link)

    expect(window.location.pathname).toBe(`/inbox/${surge.conversationIds[0]}`)
  })
})

describe('DefinitionButton', () => {
  it('shows a plain question mark on every definition button of the dashboard, with a spoken name', async () => {
    render(<DashboardPage />)
    await screen.findByRole('figure', { name: 'First response time trend' })

    const buttons = screen.getAllByRole('button', { name: /^How is .+ computed\?$/ })

    expect(buttons.length).toBeGreaterThan(10)
    for (const button of buttons) expect(button.querySelector('[aria-hidden="true"]')?.textContent).toBe('?')
    expect(document.body.textContent).not.toMatch(/[\u2460-\u24ff]/)
  })
})
