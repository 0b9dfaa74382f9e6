import { csrfHeader, type Agent, type TeamRouting } from '@carebox/shared'
import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { RoutingPanel } from '../../client/src/features/settings/RoutingPanel'
import { useStore } from '../../client/src/store/store'
import { billing, csrfToken, fakeApi, sessionOf, support, userOf } from './fake-api'

const weekdays = [1, 2, 3, 4, 5]

const supportHours: TeamRouting = {
  teamId: support.id,
  name: support.name,
  timeZone: 'Europe/Prague',
  businessHours: { shifts: weekdays.map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' })), holidays: ['2026-12-25'] },
  autoAssign: false,
  openNow: true,
  waiting: 3,
}
const billingHours: TeamRouting = {
  teamId: billing.id,
  name: billing.name,
  timeZone: 'America/New_York',
  businessHours: { shifts: [], holidays: [] },
  autoAssign: true,
  openNow: false,
  waiting: 1,
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

const maya: Agent = {
  id: userOf('agent').id,
  name: 'Maya Agent',
  role: 'agent',
  teamIds: [support.id],
  presence: 'online',
  presenceAt: minutesAgo(5),
  load: 2,
  capacity: 5,
  capacityByKind: { whatsapp: 3 },
  languages: ['en', 'es'],
  channelKinds: ['whatsapp', 'telegram'],
}
const lee: Agent = {
  id: userOf('lead').id,
  name: 'Lee Lead',
  role: 'lead',
  teamIds: [support.id],
  presence: 'away',
  presenceAt: minutesAgo(12),
  load: 4,
  capacity: 4,
  capacityByKind: {},
  languages: [],
  channelKinds: [],
}
const otto: Agent = {
  ...maya,
  id: '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000009',
  name: 'Otto Offline',
  presence: 'offline',
  presenceAt: null,
  load: 0,
  capacityByKind: {},
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/routing/teams', [200, { items: [supportHours, billingHours] }])
  api.on('GET', '/api/routing/agents', [200, { items: [maya, lee, otto] }])
  useStore.getState().startSession(sessionOf('lead'))
})

async function renderPanel() {
  const user = userEvent.setup()
  render(<RoutingPanel />)
  const team = await screen.findByRole('region', { name: 'Support' })
  return { user, team, form: within(team).getByRole('form', { name: 'Hours of Support' }) }
}

describe('RoutingPanel', () => {
  it('shows each team’s time zone, hours, holidays, whether it is open and its queue', async () => {
    const { team } = await renderPanel()

    expect(within(team).getByText('Open now')).toBeInTheDocument()
    expect(within(team).getByText('3 conversations waiting in the queue')).toBeInTheDocument()
    expect(within(team).getByLabelText('Time zone')).toHaveValue('Europe/Prague')
    expect(within(team).getByLabelText('Monday opens (1)')).toHaveValue('09:00')
    expect(within(team).getByLabelText('Friday closes (1)')).toHaveValue('17:00')
    expect(within(within(team).getByRole('group', { name: 'Sunday' })).getByText('Closed')).toBeInTheDocument()
    expect(within(team).getByRole('button', { name: 'Remove holiday 2026-12-25' })).toBeInTheDocument()
    expect(within(team).getByRole('checkbox', { name: 'Assign conversations automatically' })).not.toBeChecked()
    const other = screen.getByRole('region', { name: 'Billing' })
    expect(within(other).getByText('Closed now')).toBeInTheDocument()
    expect(within(other).getByText('1 conversation waiting in the queue')).toBeInTheDocument()
  })

  it('offers the time zones the browser knows', async () => {
    const { form } = await renderPanel()

    const box = within(form).getByLabelText('Time zone')
    const options = [...(document.getElementById(box.getAttribute('list') ?? '')?.querySelectorAll('option') ?? [])].map((o) => o.value)

    expect(options).toContain('Europe/Prague')
    expect(options).toContain('Asia/Tokyo')
    expect(options).toContain('UTC')
  })

  it('sends split shifts, holidays, the time zone and auto-assignment when the hours are saved', async () => {
    api.on('PATCH', `/api/routing/teams/${support.id}`, ({ body }) => [200, { ...supportHours, ...(body as object) }])
    const { user, form } = await renderPanel()

    await user.clear(within(form).getByLabelText('Time zone'))
    await user.type(within(form).getByLabelText('Time zone'), 'Asia/Tokyo')
    await user.click(within(form).getByRole('checkbox', { name: 'Assign conversations automatically' }))
    // Monday becomes a split shift: 09:00–13:00 and 14:00–18:00.
    await user.clear(within(form).getByLabelText('Monday closes (1)'))
    await user.type(within(form).getByLabelText('Monday closes (1)'), '13:00')
    await user.click(within(form).getByRole('button', { name: 'Add hours on Monday' }))
    await user.clear(within(form).getByLabelText('Monday opens (2)'))
    await user.type(within(form).getByLabelText('Monday opens (2)'), '14:00')
    await user.clear(within(form).getByLabelText('Monday closes (2)'))
    await user.type(within(form).getByLabelText('Monday closes (2)'), '18:00')
    // Saturday morning opens; Friday closes.
    await user.click(within(form).getByRole('button', { name: 'Add hours on Saturday' }))
    await user.click(within(form).getByRole('button', { name: 'Remove Friday hours 1' }))
    await user.type(within(form).getByLabelText('Holiday date'), '2026-12-24')
    await user.click(within(form).getByRole('button', { name: 'Add holiday' }))
    await user.click(within(form).getByRole('button', { name: 'Save hours' }))

    expect(await within(form).findByRole('status')).toHaveTextContent('Saved.')
    const [request] = api.requests('PATCH', `/api/routing/teams/${support.id}`)
    expect(request?.body).toEqual({
      timeZone: 'Asia/Tokyo',
      businessHours: {
        shifts: [
          { weekday: 1, opens: '09:00', closes: '13:00' },
          { weekday: 1, opens: '14:00', closes: '18:00' },
          { weekday: 2, opens: '09:00', closes: '17:00' },
          { weekday: 3, opens: '09:00', closes: '17:00' },
          { weekday: 4, opens: '09:00', closes: '17:00' },
          { weekday: 6, opens: '09:00', closes: '17:00' },
        ],
        holidays: ['2026-12-24', '2026-12-25'],
      },
      autoAssign: true,
    })
    expect(request?.headers[csrfHeader]).toBe(csrfToken)
  })

  it('sends a shift that closes at midnight as 24:00', async () => {
    api.on('PATCH', `/api/routing/teams/${billing.id}`, ({ body }) => [200, { ...billingHours, ...(body as object) }])
    const user = userEvent.setup()
    render(<RoutingPanel />)
    const form = await screen.findByRole('form', { name: 'Hours of Billing' })

    await user.click(within(form).getByRole('button', { name: 'Add hours on Sunday' }))
    await user.clear(within(form).getByLabelText('Sunday opens (1)'))
    await user.type(within(form).getByLabelText('Sunday opens (1)'), '18:00')
    await user.clear(within(form).getByLabelText('Sunday closes (1)'))
    await user.type(within(form).getByLabelText('Sunday closes (1)'), '00:00')
    await user.click(within(form).getByRole('button', { name: 'Save hours' }))

    await within(form).findByText('Saved.')
    expect(api.requests('PATCH', `/api/routing/teams/${billing.id}`)[0]?.body).toEqual({
      businessHours: { shifts: [{ weekday: 0, opens: '18:00', closes: '24:00' }], holidays: [] },
    })
  })

  it('does not send hours that overlap', async () => {
    const { user, form } = await renderPanel()

    await user.click(within(form).getByRole('button', { name: 'Add hours on Tuesday' }))
    await user.clear(within(form).getByLabelText('Tuesday opens (2)'))
    await user.type(within(form).getByLabelText('Tuesday opens (2)'), '16:00')
    await user.click(within(form).getByRole('button', { name: 'Save hours' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('Tuesday: the hours overlap.')
    expect(api.requests('PATCH', `/api/routing/teams/${support.id}`)).toHaveLength(0)
  })

  it('shows the server’s message when it refuses the hours', async () => {
    api.on('PATCH', `/api/routing/teams/${support.id}`, [400, { error: { code: 'validation_failed', message: 'Mars/Olympus is not a time zone.' } }])
    const { user, form } = await renderPanel()

    await user.clear(within(form).getByLabelText('Time zone'))
    await user.type(within(form).getByLabelText('Time zone'), 'Mars/Olympus')
    await user.click(within(form).getByRole('button', { name: 'Save hours' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('Mars/Olympus is not a time zone.')
    expect(within(form).getByRole('status')).toHaveTextContent('')
  })
})

describe('AgentsTable', () => {
  it('lists teammates with their presence, load, capacity and skills', async () => {
    await renderPanel()

    const row = screen.getByRole('row', { name: 'Maya Agent' })
    expect(row.querySelector('.presence-dot.presence-online')).not.toBeNull()
    expect(within(row).getByText('Online')).toBeInTheDocument()
    expect(within(row).getByText('for 5 minutes')).toBeInTheDocument()
    expect(within(row).getByText('2 / 5')).toBeInTheDocument()
    expect(within(row).getByText('WhatsApp 3')).toBeInTheDocument()
    expect(within(row).getByText('en, es')).toBeInTheDocument()
    expect(within(row).getByText('WhatsApp, Telegram')).toBeInTheDocument()
    const lead = screen.getByRole('row', { name: 'Lee Lead' })
    expect(lead.querySelector('.presence-dot.presence-away')).not.toBeNull()
    expect(within(lead).getByText('for 12 minutes')).toBeInTheDocument()
    expect(within(lead).getAllByText('Any')).toHaveLength(2)
    const offline = screen.getByRole('row', { name: 'Otto Offline' })
    expect(offline.querySelector('.presence-dot.presence-offline')).not.toBeNull()
    expect(within(offline).getByText('Offline')).toBeInTheDocument()
  })

  it('sends the capacity, caps per kind, languages and channel kinds a lead sets', async () => {
    api.on('PATCH', `/api/routing/agents/${maya.id}`, ({ body }) => [200, { ...maya, ...(body as object) }])
    const { user } = await renderPanel()

    await user.click(screen.getByRole('button', { name: 'Edit Maya Agent' }))
    const form = screen.getByRole('form', { name: 'Routing of Maya Agent' })
    expect(within(form).getByLabelText('WhatsApp cap')).toHaveValue(3)
    await user.clear(within(form).getByLabelText('Capacity'))
    await user.type(within(form).getByLabelText('Capacity'), '8')
    await user.clear(within(form).getByLabelText('WhatsApp cap'))
    await user.type(within(form).getByLabelText('Telegram cap'), '2')
    await user.clear(within(form).getByLabelText('Languages'))
    await user.type(within(form).getByLabelText('Languages'), 'en, ES, zh')
    await user.click(within(form).getByRole('checkbox', { name: 'Instagram' }))
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await within(screen.getByRole('row', { name: 'Maya Agent' })).findByText('2 / 8')).toBeInTheDocument()
    expect(api.requests('PATCH', `/api/routing/agents/${maya.id}`)[0]?.body).toEqual({
      capacity: 8,
      capacityByKind: { telegram: 2 },
      languages: ['en', 'es', 'zh'],
      channelKinds: ['instagram', 'whatsapp', 'telegram'],
    })
  })

  it('sends only the capacity when only it changed', async () => {
    api.on('PATCH', `/api/routing/agents/${lee.id}`, ({ body }) => [200, { ...lee, ...(body as object) }])
    const { user } = await renderPanel()

    await user.click(screen.getByRole('button', { name: 'Edit Lee Lead' }))
    const form = screen.getByRole('form', { name: 'Routing of Lee Lead' })
    await user.clear(within(form).getByLabelText('Capacity'))
    await user.type(within(form).getByLabelText('Capacity'), '6')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(screen.queryByRole('form', { name: 'Routing of Lee Lead' })).not.toBeInTheDocument())
    expect(api.requests('PATCH', `/api/routing/agents/${lee.id}`)[0]?.body).toEqual({ capacity: 6 })
  })

  it('refuses a language that is not a code, without sending', async () => {
    const { user } = await renderPanel()

    await user.click(screen.getByRole('button', { name: 'Edit Maya Agent' }))
    const form = screen.getByRole('form', { name: 'Routing of Maya Agent' })
    await user.clear(within(form).getByLabelText('Languages'))
    await user.type(within(form).getByLabelText('Languages'), 'en, Spanish')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('Not a language code: spanish.')
    expect(api.requests('PATCH', `/api/routing/agents/${maya.id}`)).toHaveLength(0)
  })

  it('shows a teammate going away as it happens', async () => {
    await renderPanel()
    const row = screen.getByRole('row', { name: 'Maya Agent' })

    act(() => useStore.getState().applyPresence(maya.id, 'away'))

    expect(within(row).getByText('Away')).toBeInTheDocument()
    expect(row.querySelector('.presence-dot.presence-away')).not.toBeNull()
    expect(within(row).getByText('just now')).toBeInTheDocument()
    expect(within(screen.getByRole('row', { name: 'Otto Offline' })).getByText('Offline')).toBeInTheDocument()
  })

  it('ignores presence news about someone not in the table', async () => {
    await renderPanel()
    const before = useStore.getState().routingAgents

    act(() => useStore.getState().applyPresence('3f1d2a10-8c4b-4c1e-9d7a-2b6e5f0000ff', 'online'))

    expect(useStore.getState().routingAgents).toBe(before)
  })

  it('keeps a presence announced while the table was being read, over the older state the read returns', async () => {
    let answer: (value: [number, unknown]) => void = () => {}
    api.on('GET', '/api/routing/agents', () => new Promise<[number, unknown]>((resolve) => (answer = resolve)))
    render(<RoutingPanel />)

    // Otto comes online while the list is on its way, and the list was read just before.
    act(() => useStore.getState().applyPresence(otto.id, 'online'))
    await act(async () => answer([200, { items: [maya, lee, otto] }]))

    const row = await screen.findByRole('row', { name: 'Otto Offline' })
    expect(within(row).getByText('Online')).toBeInTheDocument()
  })
})
