import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { DashboardPage } from '../../client/src/features/dashboard/DashboardPage'
import { useStore } from '../../client/src/store/store'
import { billing, fakeApi, sessionOf } from './fake-api'
import { arrangeDashboard, instagramId, mayaId, reportUrl, summaryOf, whatsappId } from './report-fixtures'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('lead'))
  window.history.replaceState(null, '', '/dashboard')
  useStore.getState().syncPath('/dashboard')
})

function cellsOf(table: HTMLElement, rowName: string): string[] {
  const row = within(table).getByRole('row', { name: new RegExp(`^${rowName}`) })
  return within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent ?? '')
}

async function renderDashboard() {
  const user = userEvent.setup()
  render(<DashboardPage />)
  await screen.findByRole('region', { name: 'Response rate: conversations' })
  return user
}

describe('DashboardPage', () => {
  it('shows the headline figures of the period, each response rate against the industry line', async () => {
    arrangeDashboard(api)

    await renderDashboard()

    const conversations = screen.getByRole('region', { name: 'Response rate: conversations' })
    expect(within(conversations).getByText('42.5%')).toBeInTheDocument()
    expect(conversations).toHaveTextContent('17 of 40 inbound conversations got a reply')
    expect(within(conversations).getByRole('img', { name: '42.5% against the industry line of 11%' })).toBeInTheDocument()
    expect(conversations).toHaveTextContent('3.9× the industry line')
    const messages = screen.getByRole('region', { name: 'Response rate: messages' })
    expect(within(messages).getByText('25%')).toBeInTheDocument()
    expect(messages).toHaveTextContent('30 of 120 customer messages answered')
    expect(within(messages).getByRole('img', { name: '25% against the industry line of 11%' })).toBeInTheDocument()
  })

  it('shows median and p90 of each time in calendar and in business time', async () => {
    arrangeDashboard(api)

    await renderDashboard()

    const firstResponse = screen.getByRole('table', { name: 'First response time' })
    expect(cellsOf(firstResponse, 'Calendar')).toEqual(['4 min 10 s', '22 min'])
    expect(cellsOf(firstResponse, 'Business')).toEqual(['3 min', '15 min'])
    expect(cellsOf(screen.getByRole('table', { name: 'Next response time' }), 'Calendar')).toEqual(['10 min', '1 h'])
    expect(cellsOf(screen.getByRole('table', { name: 'Resolution time' }), 'Business')).toEqual(['1 h 30 min', '12 h'])
    expect(screen.getByRole('region', { name: 'First response time' })).toHaveTextContent('17 first responses')
  })

  it('shows SLA achievement overall and by kind, the backlog now, reopens, and what is not counted as a response', async () => {
    arrangeDashboard(api)

    await renderDashboard()

    const sla = screen.getByRole('region', { name: 'Answered within SLA' })
    expect(within(sla).getByText('90%')).toBeInTheDocument()
    expect(sla).toHaveTextContent('18 achieved, 2 breached')
    expect(within(sla).getByText('First response').nextElementSibling).toHaveTextContent('90.9% (10 of 11)')
    expect(within(sla).getByText('Resolution').nextElementSibling).toHaveTextContent('100% (3 of 3)')
    const backlog = screen.getByRole('region', { name: 'Backlog now' })
    expect(within(backlog).getByText('5')).toBeInTheDocument()
    expect(backlog).toHaveTextContent('waiting for a reply, of 8 open conversations')
    expect(backlog).toHaveTextContent('Oldest wait: 2 h')
    expect(screen.getByRole('region', { name: 'Reopen rate' })).toHaveTextContent('25%3 of 12 resolved conversations reopened within 7 days')
    const notCounted = screen.getByRole('region', { name: 'Not counted as responses' })
    expect(within(notCounted).getByText('Notes').nextElementSibling).toHaveTextContent('6')
    expect(within(notCounted).getByText('Automated replies').nextElementSibling).toHaveTextContent('4')
  })

  it('asks for the period a lead picks and keeps it in the address', async () => {
    arrangeDashboard(api)
    arrangeDashboard(api, { period: '30d' })
    const user = await renderDashboard()

    await user.click(screen.getByRole('button', { name: '30 days' }))

    await waitFor(() => expect(api.requests('GET', reportUrl('/api/reports/summary', { period: '30d' }))).toHaveLength(1))
    expect(api.requests('GET', reportUrl('/api/reports/agents', { period: '30d' }))).toHaveLength(1)
    expect(api.requests('GET', reportUrl('/api/reports/cost', { period: '30d' }))).toHaveLength(1)
    expect(screen.getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true')
    expect(window.location.pathname + window.location.search).toBe('/dashboard?period=30d')
  })

  it('asks for a custom period from the days on screen, and for the days a lead types', async () => {
    const custom = { period: 'custom', from: '2026-03-01', to: '2026-03-07' } as const
    arrangeDashboard(api)
    arrangeDashboard(api, custom)
    arrangeDashboard(api, { ...custom, from: '2026-03-03' })
    const user = await renderDashboard()

    await user.click(screen.getByRole('button', { name: 'Custom' }))
    await waitFor(() => expect(api.requests('GET', reportUrl('/api/reports/summary', custom))).toHaveLength(1))
    const first = screen.getByLabelText('First day')
    await user.clear(first)
    await user.type(first, '2026-03-03')

    await waitFor(() => expect(api.requests('GET', reportUrl('/api/reports/summary', { ...custom, from: '2026-03-03' }))).toHaveLength(1))
    expect(window.location.search).toBe('?period=custom&from=2026-03-03&to=2026-03-07')
  })

  it('says why a custom period cannot be asked for, and asks nothing', async () => {
    arrangeDashboard(api)
    arrangeDashboard(api, { period: 'custom', from: '2026-03-01', to: '2026-03-07' })
    const user = await renderDashboard()
    await user.click(screen.getByRole('button', { name: 'Custom' }))
    const requestsBefore = api.fetchMock.mock.calls.length

    const first = screen.getByLabelText('First day')
    await user.clear(first)
    await user.type(first, '2026-03-09')

    expect(await screen.findByRole('alert')).toHaveTextContent('The first day comes after the last.')
    expect(api.fetchMock.mock.calls.slice(requestsBefore).map(([url]) => String(url))).not.toContain(
      reportUrl('/api/reports/summary', { period: 'custom', from: '2026-03-09', to: '2026-03-07' }),
    )
  })

  it('filters by channel and team, with the filters in the request and the address', async () => {
    arrangeDashboard(api)
    arrangeDashboard(api, { period: '7d', channelId: whatsappId })
    arrangeDashboard(api, { period: '7d', teamId: billing.id, channelId: whatsappId })
    const user = await renderDashboard()

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Channel' }), 'Acme on WhatsApp')
    await waitFor(() => expect(api.requests('GET', reportUrl('/api/reports/summary', { period: '7d', channelId: whatsappId }))).toHaveLength(1))
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Team' }), 'Billing')

    await waitFor(() =>
      expect(api.requests('GET', reportUrl('/api/reports/agents', { period: '7d', teamId: billing.id, channelId: whatsappId }))).toHaveLength(1),
    )
    expect(window.location.search).toBe(`?period=7d&teamId=${billing.id}&channelId=${whatsappId}`)
    expect(screen.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
      'href',
      `/api/reports/export.csv?period=7d&teamId=${billing.id}&channelId=${whatsappId}`,
    )
  })

  it('takes an agent or a tag, not both, and says why the other is off', async () => {
    arrangeDashboard(api)
    arrangeDashboard(api, { period: '7d', agentId: mayaId })
    arrangeDashboard(api, { period: '7d', tag: 'refund' })
    const user = await renderDashboard()
    const agent = screen.getByRole('combobox', { name: 'Agent' })
    const tag = screen.getByRole('textbox', { name: 'Tag' })

    await user.selectOptions(agent, await within(agent).findByRole('option', { name: 'Maya Agent' }))

    await waitFor(() => expect(api.requests('GET', reportUrl('/api/reports/summary', { period: '7d', agentId: mayaId }))).toHaveLength(1))
    expect(tag).toBeDisabled()
    expect(tag).toHaveAccessibleDescription(expect.stringContaining('Clear the agent to filter by tag. Figures are kept per agent and per tag'))
    expect(agent).toBeEnabled()

    await user.selectOptions(agent, 'All agents')
    expect(tag).toBeEnabled()
    await user.type(tag, 'refund{Enter}')

    await waitFor(() => expect(api.requests('GET', reportUrl('/api/reports/summary', { period: '7d', tag: 'refund' }))).toHaveLength(1))
    expect(agent).toBeDisabled()
    expect(agent).toHaveAccessibleDescription(expect.stringContaining('Clear the tag to filter by agent.'))
  })

  it('opens on the period and filters a shared link names', async () => {
    const linked = { period: '90d', teamId: billing.id, channelId: instagramId } as const
    arrangeDashboard(api, linked)
    window.history.replaceState(null, '', `/dashboard?period=90d&channelId=${instagramId}&teamId=${billing.id}`)

    await renderDashboard()

    expect(api.requests('GET', reportUrl('/api/reports/summary', linked))).toHaveLength(1)
    expect(api.requests('GET', reportUrl('/api/reports/summary'))).toHaveLength(0)
    expect(screen.getByRole('button', { name: '90 days' })).toHaveAttribute('aria-pressed', 'true')
    expect(await screen.findByRole('combobox', { name: 'Team' })).toHaveDisplayValue('Billing')
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Channel' })).toHaveDisplayValue('Acme on Instagram'))
  })

  it('links to the CSV of the period and to TV mode', async () => {
    arrangeDashboard(api)

    await renderDashboard()

    const csv = screen.getByRole('link', { name: 'Download CSV' })
    expect(csv).toHaveAttribute('href', '/api/reports/export.csv?period=7d')
    expect(csv).toHaveAttribute('download')
    expect(screen.getByRole('link', { name: 'TV mode' })).toHaveAttribute('href', '/wallboard')
  })

  it('says so when the figures cannot be loaded', async () => {
    arrangeDashboard(api)
    api.on('GET', reportUrl('/api/reports/summary'), [403, { error: { code: 'forbidden', message: 'Leads and admins only' } }])

    render(<DashboardPage />)

    expect(await screen.findByText('Could not load the figures: Leads and admins only')).toHaveAttribute('role', 'alert')
    expect(await screen.findByRole('table', { name: 'Agents' })).toBeInTheDocument()
  })

  it('draws the charts for the period with a legend by channel, and shows their figures as a table', async () => {
    arrangeDashboard(api, { period: '7d' }, summaryOf())

    await renderDashboard()

    const volume = screen.getByRole('figure', { name: 'Inbound and replied per day' })
    expect(
      within(within(volume).getByRole('list', { name: 'Channels' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Acme on WhatsApp', 'Acme on Instagram', 'Each day: inbound (solid), then replied (outlined)'])
    expect(volume.querySelector('svg')).not.toBeNull()
    const figures = within(volume).getByRole('table', { name: 'Inbound and replied per day by channel' })
    expect(within(figures).getAllByRole('row')[1]).toHaveTextContent(/Acme on WhatsApp\s*30\s*12/)
    expect(screen.getByRole('figure', { name: 'First response time trend' })).toBeInTheDocument()
    expect(screen.getByRole('figure', { name: 'SLA targets achieved and breached' })).toBeInTheDocument()
  })

  it('puts each hour of the week in a real table, with its count in the cell', async () => {
    arrangeDashboard(api)

    await renderDashboard()

    const heatmap = screen.getByRole('table', { name: 'Customer messages by hour of the week' })
    const rows = within(heatmap).getAllByRole('row')
    expect(rows).toHaveLength(8)
    const monday = within(heatmap).getByRole('row', { name: /^Mon/ })
    const ten = within(monday).getAllByRole('cell')[10]
    expect(ten).toHaveTextContent('9')
    expect(ten).toHaveAttribute('title', 'Monday 10:00–11:00: 9 customer messages')
    expect(within(monday).getAllByRole('cell')[9]).toHaveAttribute('title', 'Monday 09:00–10:00: 0 customer messages')
  })

  it('lists each agent with the totals, and sorts on a column', async () => {
    arrangeDashboard(api)
    const user = await renderDashboard()
    const table = screen.getByRole('table', { name: 'Agents' })
    const names = () =>
      within(table)
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent)

    expect(names()).toEqual(['Maya Agent', 'Kim Lee', 'Nobody in particular', 'Total'])
    expect(cellsOf(table, 'Maya Agent')).toEqual(['20', '7', '4 min', '50 min', '92.3%', '14.3%', '8 h'])
    expect(cellsOf(table, 'Total')).toEqual(['35', '12', '4 min 10 s', '50 min', '90%', '25%', '12 h'])

    await user.click(within(table).getByRole('button', { name: 'Reopen rate' }))

    expect(names()).toEqual(['Kim Lee', 'Maya Agent', 'Nobody in particular', 'Total'])
    expect(within(table).getByRole('columnheader', { name: /Reopen rate/ })).toHaveAttribute('aria-sort', 'descending')
  })

  it('lists surges with their reasons, against their baseline, and opens the conversations behind one in the inbox', async () => {
    arrangeDashboard(api)
    const user = await renderDashboard()

    const item = await screen.findByRole('listitem', { name: 'More messages and more complaints than usual on Acme on WhatsApp' })
    expect(within(item).getByText('Inbound').nextElementSibling).toHaveTextContent('42 messages vs 12.5 usual')
    expect(within(item).getByText('Negative share').nextElementSibling).toHaveTextContent('38% negative vs 10% usual')
    const link = within(item).getByRole('link', { name: 'Open conversation 2 of 2' })
    expect(link).toHaveAttribute('href', '/inbox/0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a002')
    await user.click(link)

    expect(window.location.pathname).toBe('/inbox/0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1a002')
  })
})
