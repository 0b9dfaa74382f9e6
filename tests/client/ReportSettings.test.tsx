import { costInputSources, csrfHeader, defaultCostSettings, defaultSurgeSettings } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../client/src/App'
import { ReportSettingsPanel } from '../../client/src/features/settings/ReportSettingsPanel'
import { useStore } from '../../client/src/store/store'
import { csrfToken, fakeApi, sessionOf } from './fake-api'
import { reportSettings } from './report-fixtures'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/reports/settings', [200, reportSettings])
})

async function renderAs(role: 'lead' | 'admin') {
  useStore.getState().startSession(sessionOf(role))
  const user = userEvent.setup()
  render(<ReportSettingsPanel />)
  const form = await screen.findByRole('form', { name: 'Report settings' })
  return { user, form }
}

describe('Settings → Reports', () => {
  it('is a tab of Settings for leads', async () => {
    api.on('GET', '/api/auth/me', [200, sessionOf('lead')])
    useStore.getState().syncPath('/settings/reports')

    render(<App />)

    const tabs = await screen.findByRole('navigation', { name: 'Settings' })
    expect(within(tabs).getByRole('link', { name: 'Reports' })).toHaveAttribute('aria-current', 'page')
    expect(await screen.findByRole('form', { name: 'Report settings' })).toBeInTheDocument()
  })

  it('shows each input with its default and the source of that default', async () => {
    const { form } = await renderAs('lead')

    const phone = within(form).getByRole('spinbutton', { name: 'Cost per phone contact' })
    expect(phone).toHaveValue(6)
    expect(phone).toHaveAccessibleDescription(`Default USD 6.00. ${costInputSources.phoneCostPerContact}`)
    expect(within(form).getByRole('spinbutton', { name: 'Deflection rate' })).toHaveAccessibleDescription(`Default 0.5. ${costInputSources.deflectionRate}`)
    expect(within(form).getByRole('spinbutton', { name: 'Volume factor' })).toHaveAccessibleDescription(
      expect.stringMatching(/^Default 2\. Inbound over the window must exceed the baseline/),
    )
  })

  it('lets a lead read the settings but not change them', async () => {
    const { user, form } = await renderAs('lead')
    const phone = within(form).getByRole('spinbutton', { name: 'Cost per phone contact' })

    await user.type(phone, '9')

    expect(phone).toHaveValue(6)
    expect(phone).toHaveAttribute('readonly')
    expect(within(form).queryByRole('button', { name: 'Save' })).not.toBeInTheDocument()
    expect(screen.getByText(/Only admins can change them\./)).toBeInTheDocument()
  })

  it('saves the settings whole when an admin changes one', async () => {
    const saved = { cost: { ...defaultCostSettings, phoneCostPerContact: 7.5 }, surge: { ...defaultSurgeSettings, minMessages: 25 } }
    api.on('PUT', '/api/reports/settings', [200, saved])
    const { user, form } = await renderAs('admin')

    await user.clear(within(form).getByRole('spinbutton', { name: 'Cost per phone contact' }))
    await user.type(within(form).getByRole('spinbutton', { name: 'Cost per phone contact' }), '7.5')
    await user.clear(within(form).getByRole('spinbutton', { name: 'Fewest messages for a surge' }))
    await user.type(within(form).getByRole('spinbutton', { name: 'Fewest messages for a surge' }), '25')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await screen.findByText('Saved.')).toBeInTheDocument()
    const [request] = api.requests('PUT', '/api/reports/settings')
    expect(request?.body).toEqual(saved)
    expect(request?.headers[csrfHeader]).toBe(csrfToken)
    expect(useStore.getState().reportSettings).toEqual(saved)
  })

  it.each([
    ['Deflection rate', '1.5', 'Deflection rate must be a number from 0 to 1.'],
    ['Cost per phone contact', '-1', 'Cost per phone contact must be a number from 0 to 10000.'],
    ['Fewest messages for a surge', '2.5', 'Fewest messages for a surge must be a whole number from 1 to 100000.'],
    ['Volume factor', '1', 'Volume factor must be a number from 1.1 to 100.'],
    ['Rise in negative share', '', 'Rise in negative share must be a number from 0.01 to 1.'],
  ])('refuses %s = "%s" and says why, sending nothing', async (label, value, message) => {
    const { user, form } = await renderAs('admin')
    const input = within(form).getByRole('spinbutton', { name: label })

    await user.clear(input)
    if (value) await user.type(input, value)
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(within(form).getByRole('alert')).toHaveTextContent(message)
    expect(api.requests('PUT', '/api/reports/settings')).toHaveLength(0)
  })

  it('refuses a currency that is not a three-letter code', async () => {
    const { user, form } = await renderAs('admin')
    const currency = within(form).getByRole('textbox', { name: 'Currency' })

    await user.clear(currency)
    await user.type(currency, 'E1')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('Currency must be a three-letter code, such as USD or EUR.')
    expect(api.requests('PUT', '/api/reports/settings')).toHaveLength(0)
  })

  it('shows why the server refused the settings', async () => {
    api.on('PUT', '/api/reports/settings', [403, { error: { code: 'forbidden', message: 'Admins only' } }])
    const { user, form } = await renderAs('admin')

    await user.click(within(form).getByRole('button', { name: 'Fill in the defaults' }))
    await user.clear(within(form).getByRole('spinbutton', { name: 'Agent hourly cost' }))
    await user.type(within(form).getByRole('spinbutton', { name: 'Agent hourly cost' }), '31')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('Admins only')
    expect(screen.queryByText('Saved.')).not.toBeInTheDocument()
  })
})
