import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { DashboardPage } from '../../client/src/features/dashboard/DashboardPage'
import { formatBucket } from '../../client/src/features/dashboard/report-format'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import { arrangeDashboard, summaryOf } from './report-fixtures'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('lead'))
  window.history.replaceState(null, '', '/dashboard')
  useStore.getState().syncPath('/dashboard')
})

function rowOf(table: HTMLElement, at: string): HTMLElement {
  return within(table).getByRole('row', { name: new RegExp(`^${formatBucket(at)}`) })
}

const cellsOf = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent)

describe('NegativeShareChart', () => {
  it('shows each day’s share with its counts, and greys a day with fewer than 20 labelled messages', async () => {
    arrangeDashboard(api)

    render(<DashboardPage />)

    const chart = await screen.findByRole('figure', { name: 'Negative share per day' })
    expect(chart.querySelector('svg')).not.toBeNull()
    const table = within(chart).getByRole('table', { name: 'Negative share per day' })
    const enough = rowOf(table, '2026-03-02')
    const few = rowOf(table, '2026-03-03')
    const none = rowOf(table, '2026-03-04')
    expect(cellsOf(enough)).toEqual([formatBucket('2026-03-02'), '15%', '6', '40'])
    expect(enough).not.toHaveClass('inactive')
    expect(cellsOf(few)).toEqual([formatBucket('2026-03-03'), '25% (fewer than 20 labelled)', '3', '12'])
    expect(few).toHaveClass('inactive')
    expect(cellsOf(none)).toEqual([formatBucket('2026-03-04'), '—', '0', '0'])
    expect(none).toHaveClass('inactive')
  })

  it('opens the negative share’s definition beside the chart', async () => {
    const user = userEvent.setup()
    arrangeDashboard(api)
    render(<DashboardPage />)
    const chart = await screen.findByRole('figure', { name: 'Negative share per day' })

    await user.click(within(chart).getByRole('button', { name: 'How is Negative share computed?' }))

    const dialog = within(chart).getByRole('dialog', { name: 'Negative share' })
    expect(within(dialog).getByRole('blockquote')).toHaveTextContent('a bucket with fewer than 20 labelled messages is greyed out')
  })

  it('says so when no customer message in the period has a label', async () => {
    arrangeDashboard(api, { period: '7d' }, summaryOf({ negativeShareTrend: [{ at: '2026-03-02', negative: 0, labelled: 0 }] }))

    render(<DashboardPage />)

    const chart = await screen.findByRole('figure', { name: 'Negative share per day' })
    expect(within(chart).getByText('No labelled customer messages in this period.')).toBeInTheDocument()
  })
})
