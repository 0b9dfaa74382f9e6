import { csrfHeader, defaultSurveySettings, defaultSurveyTexts, type Channel, type SurveySettings } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../client/src/App'
import { visibleSettingsTabs } from '../../client/src/features/settings/settingsTabs'
import { SurveysPanel } from '../../client/src/features/settings/SurveysPanel'
import { useStore } from '../../client/src/store/store'
import { billing, csrfToken, fakeApi, sessionOf, support } from './fake-api'
import { channels, instagramId } from './report-fixtures'

const supportUrl = `/api/teams/${support.id}/survey-settings`
const billingUrl = `/api/teams/${billing.id}/survey-settings`
const billingTelegram: Channel = {
  ...channels[0]!,
  id: '0b6f1d56-3f1e-4f43-9d4e-3a4fb7a1b003',
  kind: 'telegram',
  name: 'Billing on Telegram',
  teamId: billing.id,
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/teams', [200, { items: [support] }])
  api.on('GET', '/api/channels', [200, [...channels, billingTelegram]])
  api.on('GET', supportUrl, [200, { settings: defaultSurveySettings, defaults: defaultSurveyTexts }])
})

async function renderPanel(role: 'lead' | 'admin' = 'lead') {
  useStore.getState().startSession(sessionOf(role))
  const user = userEvent.setup()
  render(<SurveysPanel />)
  const form = await screen.findByRole('form', { name: 'Surveys of Support' })
  return { user, form }
}

/** Answers the PUT with what it was sent, as the server does once it accepts. */
function acceptSaves(url: string) {
  api.on('PUT', url, ({ body }) => [200, body])
}

describe('Settings → Surveys', () => {
  it('is a tab of Settings for leads', async () => {
    api.on('GET', '/api/auth/me', [200, sessionOf('lead')])
    useStore.getState().syncPath('/settings/surveys')

    render(<App />)

    const tabs = await screen.findByRole('navigation', { name: 'Settings' })
    expect(within(tabs).getByRole('link', { name: 'Surveys' })).toHaveAttribute('aria-current', 'page')
    expect(await screen.findByRole('form', { name: 'Surveys of Support' })).toBeInTheDocument()
  })

  it('is no tab for agents, and an agent who opens its URL loads nothing', async () => {
    api.on('GET', '/api/auth/me', [200, sessionOf('agent')])
    window.history.replaceState(null, '', '/settings/surveys')
    useStore.getState().syncPath('/settings/surveys')

    render(<App />)

    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeInTheDocument()
    expect(visibleSettingsTabs('agent').map((tab) => tab.id)).not.toContain('surveys')
    expect(screen.queryByRole('link', { name: 'Surveys' })).not.toBeInTheDocument()
    expect(api.requests('GET', supportUrl)).toHaveLength(0)
  })

  it('fills the form with the settings and the default words, and previews the question with its five answers', async () => {
    const { form } = await renderPanel()

    expect(within(form).getByRole('checkbox', { name: 'Send satisfaction surveys' })).toBeChecked()
    expect(within(form).getByRole('checkbox', { name: 'Ask why' })).toHaveAccessibleDescription(/next message is kept as the rating’s comment/)
    expect(within(form).getByRole('spinbutton', { name: 'Delay after the resolve, in minutes' })).toHaveValue(5)
    expect(within(form).getByRole('textbox', { name: 'Question (English)' })).toHaveValue(defaultSurveyTexts.en.question)
    expect(within(form).getByRole('textbox', { name: 'Button label (English)' })).toHaveValue('Rate us')
    expect(within(form).getByRole('textbox', { name: 'Answer 3' })).toHaveValue('3 · OK')
    const preview = screen.getByRole('region', { name: 'What the customer sees (English)' })
    expect(within(preview).getByText(defaultSurveyTexts.en.question)).toBeInTheDocument()
    expect(
      within(within(preview).getByRole('list', { name: 'Answers' }))
        .getAllByRole('listitem')
        .map((chip) => chip.textContent),
    ).toEqual(defaultSurveyTexts.en.options)
    expect(within(form).getByRole('button', { name: 'Reset English to the default' })).toBeDisabled()
  })

  it("saves a language's own question, sending only that language's words with the rest of the settings", async () => {
    acceptSaves(supportUrl)
    const { user, form } = await renderPanel()

    await user.selectOptions(within(form).getByRole('combobox', { name: 'Language' }), 'es')
    const question = within(form).getByRole('textbox', { name: 'Question (Spanish)' })
    await user.clear(question)
    await user.type(question, '¿Te ayudamos bien?')
    expect(within(screen.getByRole('region', { name: 'What the customer sees (Spanish)' })).getByText('¿Te ayudamos bien?')).toBeInTheDocument()
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await screen.findByText('Saved.')).toBeInTheDocument()
    const [request] = api.requests('PUT', supportUrl)
    expect(request?.body).toEqual({ ...defaultSurveySettings, texts: { es: { ...defaultSurveyTexts.es, question: '¿Te ayudamos bien?' } } })
    expect(request?.headers[csrfHeader]).toBe(csrfToken)
    const saved = await screen.findByRole('form', { name: 'Surveys of Support' })
    expect(within(saved).getByRole('option', { name: 'Spanish · edited' })).toBeInTheDocument()
  })

  it('saves the switches, the delay and the channels left out, offering only the team’s channels', async () => {
    acceptSaves(supportUrl)
    const { user, form } = await renderPanel()
    const channelList = within(form).getByRole('group', { name: 'Channels left out' })

    expect(within(channelList).getAllByRole('checkbox')).toHaveLength(2)
    expect(within(channelList).getByRole('checkbox', { name: /Acme on WhatsApp/ })).not.toBeChecked()
    expect(within(channelList).queryByRole('checkbox', { name: /Billing on Telegram/ })).not.toBeInTheDocument()
    await user.click(within(channelList).getByRole('checkbox', { name: /Acme on Instagram/ }))
    await user.click(within(form).getByRole('checkbox', { name: 'Agents see ratings' }))
    await user.clear(within(form).getByRole('spinbutton', { name: 'Delay after the resolve, in minutes' }))
    await user.type(within(form).getByRole('spinbutton', { name: 'Delay after the resolve, in minutes' }), '30')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await screen.findByText('Saved.')).toBeInTheDocument()
    const expected: SurveySettings = { ...defaultSurveySettings, delayMinutes: 30, agentsSeeRatings: false, disabledChannelIds: [instagramId] }
    expect(api.requests('PUT', supportUrl)[0]?.body).toEqual(expected)
  })

  it('shows why the server refused the settings, and keeps what was typed', async () => {
    api.on('PUT', supportUrl, [400, { error: { code: 'validation_failed', message: "Only the team's own channels can be left out." } }])
    const { user, form } = await renderPanel()

    await user.type(within(form).getByRole('textbox', { name: 'Answer 5' }), '!')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent("Only the team's own channels can be left out.")
    expect(within(form).getByRole('textbox', { name: 'Answer 5' })).toHaveValue('5 · Great!')
    expect(screen.queryByText('Saved.')).not.toBeInTheDocument()
  })

  it('refuses an empty button label and says which language, sending nothing', async () => {
    const { user, form } = await renderPanel()

    await user.selectOptions(within(form).getByRole('combobox', { name: 'Language' }), 'cs')
    await user.clear(within(form).getByRole('textbox', { name: 'Button label (Czech)' }))
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('Czech: write the button label.')
    expect(api.requests('PUT', supportUrl)).toHaveLength(0)
  })

  it('caps the button label and each answer at 20 characters', async () => {
    const { user, form } = await renderPanel()
    const answer = within(form).getByRole('textbox', { name: 'Answer 1' })

    await user.clear(answer)
    await user.type(answer, 'x'.repeat(25))

    expect(answer).toHaveValue('x'.repeat(20))
    expect(within(form).getByRole('textbox', { name: 'Button label (English)' })).toHaveAttribute('maxlength', '20')
  })

  it("resets a language's words to the defaults", async () => {
    const own = { ...defaultSurveyTexts.ja, question: '評価をお願いします。' }
    api.on('GET', supportUrl, [200, { settings: { ...defaultSurveySettings, texts: { ja: own } }, defaults: defaultSurveyTexts }])
    acceptSaves(supportUrl)
    const { user, form } = await renderPanel()

    await user.selectOptions(within(form).getByRole('combobox', { name: 'Language' }), 'ja')
    expect(within(form).getByRole('textbox', { name: 'Question (Japanese)' })).toHaveValue(own.question)
    await user.click(within(form).getByRole('button', { name: 'Reset Japanese to the default' }))
    expect(within(form).getByRole('textbox', { name: 'Question (Japanese)' })).toHaveValue(defaultSurveyTexts.ja.question)
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await screen.findByText('Saved.')).toBeInTheDocument()
    expect(api.requests('PUT', supportUrl)[0]?.body).toEqual(defaultSurveySettings)
  })

  it("switches to another team's settings", async () => {
    api.on('GET', '/api/teams', [200, { items: [support, billing] }])
    api.on('GET', billingUrl, [200, { settings: { ...defaultSurveySettings, enabled: false }, defaults: defaultSurveyTexts }])
    const { user } = await renderPanel('admin')

    await user.selectOptions(screen.getByRole('combobox', { name: 'Team' }), billing.id)

    const form = await screen.findByRole('form', { name: 'Surveys of Billing' })
    expect(within(form).getByRole('checkbox', { name: 'Send satisfaction surveys' })).not.toBeChecked()
    expect(within(form).getByRole('checkbox', { name: /Billing on Telegram/ })).toBeInTheDocument()
    expect(within(form).queryByRole('checkbox', { name: /Acme on WhatsApp/ })).not.toBeInTheDocument()
  })
})
