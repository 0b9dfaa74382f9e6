import { costInputSources, gartnerEnvelope } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { DashboardPage } from '../../client/src/features/dashboard/DashboardPage'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import { arrangeDashboard, costOf, reportUrl } from './report-fixtures'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  arrangeDashboard(api)
  useStore.getState().startSession(sessionOf('lead'))
})

async function renderCostPanel() {
  render(<DashboardPage />)
  return screen.findByRole('region', { name: 'Cost saving' })
}

function figure(panel: HTMLElement, name: string): string {
  return within(panel).getByText(name, { selector: 'dt' }).nextElementSibling?.textContent ?? ''
}

function rowCells(table: HTMLElement, name: string): string[] {
  return within(within(table).getByRole('row', { name: new RegExp(`^${name}`) }))
    .getAllByRole('cell')
    .map((cell) => cell.textContent ?? '')
}

describe('cost saving panel', () => {
  it('shows avoided cost, social cost, net saving, cost per resolution and ROI', async () => {
    const panel = await renderCostPanel()

    expect(figure(panel, 'Avoided cost')).toBe('$36.00')
    expect(figure(panel, 'Social cost')).toBe('$12.00')
    expect(figure(panel, 'Net saving')).toBe('$24.00')
    expect(figure(panel, 'Cost per resolution')).toBe('$1.00')
    expect(figure(panel, 'ROI')).toBe('200%')
    expect(within(panel).getByRole('group', { name: 'Cost over time' }).querySelector('svg')).not.toBeNull()
  })

  it('says the social cost is the per-conversation default until enough working time is measured', async () => {
    const panel = await renderCostPanel()

    expect(within(panel).getByLabelText('Social cost basis')).toHaveTextContent(
      'Social cost is the per-conversation default: $1.00 × 12 resolved social conversations, until 30 resolved conversations have working time recorded (4 so far).',
    )
    expect(within(panel).getByLabelText('Social cost basis')).toHaveTextContent('Working time is measured from the console')
    const breakdown = within(panel).getByRole('table', { name: 'Cost breakdown' })
    expect(rowCells(breakdown, 'Default cost per conversation')).toEqual(['$1.00', ''])
    expect(rowCells(breakdown, 'Resolved conversations with working time recorded')).toEqual(['4', '$12.00 social cost'])
  })

  it('says the social cost is measured when it is, from the hours agents worked and the hourly costs', async () => {
    const measured = costOf({ socialCostBasis: 'measured', handleHours: 2.5, socialCost: 62.5, netSaving: -26.5 })
    measured.breakdown = {
      ...measured.breakdown,
      basis: 'measured',
      workedHours: 2.5,
      workedConversations: 9,
      measuredResolutions: 31,
      explanation:
        '12 resolved conversations × 50% that would have been calls × $6 per call = $36 avoided; 2.5 hours agents spent in 9 conversations × $25 an hour = $62.50; net −$26.50.',
    }
    api.on('GET', reportUrl('/api/reports/cost'), [200, measured])

    const panel = await renderCostPanel()

    expect(within(panel).getByLabelText('Social cost basis')).toHaveTextContent(
      'Social cost measured: 2.5 hours agents worked × ($20.00 agent cost + $5.00 overhead per hour), over 12 resolved social conversations.',
    )
    expect(within(panel).getByLabelText('Cost explanation')).toHaveTextContent(measured.breakdown.explanation)
  })

  it('shows what each input contributes, and the sentence that puts them together', async () => {
    const measured = costOf({ socialCostBasis: 'measured', handleHours: 2.5, socialCost: 62.5, netSaving: -26.5 })
    measured.breakdown = { ...measured.breakdown, basis: 'measured', workedHours: 2.5, workedConversations: 9, measuredResolutions: 31 }
    api.on('GET', reportUrl('/api/reports/cost'), [200, measured])

    const panel = await renderCostPanel()

    const breakdown = within(panel).getByRole('table', { name: 'Cost breakdown' })
    expect(rowCells(breakdown, 'Resolved social conversations')).toEqual(['12', ''])
    expect(rowCells(breakdown, 'Share that would have been phone calls')).toEqual(['50%', ''])
    expect(rowCells(breakdown, 'Cost per phone call')).toEqual(['$6.00', '$36.00 avoided'])
    expect(rowCells(breakdown, 'Hours agents worked \\(in 9 conversations\\)')).toEqual(['2.5', ''])
    expect(rowCells(breakdown, 'Cost per hour')).toEqual(['$25.00', '$62.50 social cost'])
    expect(rowCells(breakdown, 'Net saving')).toEqual(['', '-$26.50'])
    expect(within(panel).getByLabelText('Cost explanation')).toHaveTextContent(measured.breakdown.explanation)
    expect(within(panel).getByRole('button', { name: /cost saving/i })).toBeInTheDocument()
  })

  it('shows the deflection band from 0.25 to 1.0 around the rate set', async () => {
    const panel = await renderCostPanel()

    const band = within(panel).getByRole('table', { name: 'Deflection band' })
    expect(rowCells(band, 'Low')).toEqual(['0.25', '$18.00', '$6.00', '50%'])
    expect(rowCells(band, 'Your setting')).toEqual(['0.5', '$36.00', '$24.00', '200%'])
    expect(rowCells(band, 'High')).toEqual(['1', '$72.00', '$60.00', '500%'])
    expect(within(panel).getByRole('img', { name: 'Net saving from $6.00 to $60.00; $24.00 at your setting' })).toBeInTheDocument()
  })

  it('shows every input with its value, its default and its cited source, and the Gartner envelope', async () => {
    const panel = await renderCostPanel()

    const inputs = within(panel).getByRole('table', { name: 'Cost inputs' })
    expect(within(inputs).getAllByRole('row')).toHaveLength(8)
    expect(rowCells(inputs, 'Cost per phone contact')).toEqual(['$6.00', '$6.00', costInputSources.phoneCostPerContact])
    expect(rowCells(inputs, 'Deflection rate')).toEqual(['0.5', '0.5', costInputSources.deflectionRate])
    expect(rowCells(inputs, 'Social cost per conversation, until measured')).toEqual(['$1.00', '$1.00', costInputSources.socialCostPerConversation])
    expect(within(panel).getByLabelText('Upper-bound envelope')).toHaveTextContent(gartnerEnvelope.source)
  })

  it('shows the inputs set for the workspace beside their defaults, and leads to where they are set', async () => {
    const report = costOf()
    api.on('GET', reportUrl('/api/reports/cost'), [200, { ...report, settings: { ...report.settings, phoneCostPerContact: 7.5 } }])
    const user = userEvent.setup()
    const panel = await renderCostPanel()

    expect(rowCells(within(panel).getByRole('table', { name: 'Cost inputs' }), 'Cost per phone contact').slice(0, 2)).toEqual(['$7.50', '$6.00'])
    await user.click(within(panel).getByRole('link', { name: 'Cost inputs are set in Settings → Reports' }))

    expect(window.location.pathname).toBe('/settings/reports')
  })
})
