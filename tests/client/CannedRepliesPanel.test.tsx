import { csrfHeader, type CannedReply, type Role } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../client/src/App'
import { CannedRepliesPanel } from '../../client/src/features/settings/CannedRepliesPanel'
import { useStore } from '../../client/src/store/store'
import { billing, csrfToken, fakeApi, sessionOf, support } from './fake-api'

const refund: CannedReply = {
  id: '5c1e2b7a-3d4f-4a6b-8c9d-0e1f2a3b0001',
  teamId: null,
  shortcut: 'refund',
  title: 'Refund on its way',
  body: 'Hi {{customer.first_name}}, your refund is on its way.',
  updatedAt: '2026-03-01T09:00:00.000Z',
}
const hours: CannedReply = {
  id: '5c1e2b7a-3d4f-4a6b-8c9d-0e1f2a3b0002',
  teamId: support.id,
  shortcut: 'hours',
  title: 'Opening hours',
  body: 'We answer from 9 to 18, Monday to Friday.',
  updatedAt: '2026-03-01T09:00:00.000Z',
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/canned-replies', [200, { items: [hours, refund] }])
  api.on('GET', '/api/teams', [200, { items: [support] }])
  useStore.getState().startSession(sessionOf('lead'))
})

async function openAddForm() {
  const user = userEvent.setup()
  const { container } = render(<CannedRepliesPanel />)
  await screen.findByRole('row', { name: '/refund' })
  await user.click(screen.getByRole('button', { name: 'Add a canned reply' }))
  return { user, container, form: screen.getByRole('form', { name: 'Add a canned reply' }) }
}

async function fill(user: ReturnType<typeof userEvent.setup>, form: HTMLElement, values: { shortcut: string; title: string; body: string }) {
  await user.type(within(form).getByLabelText('Shortcut'), values.shortcut)
  await user.type(within(form).getByLabelText('Title'), values.title)
  // Pasted: user.type reads `{` as the start of a key name.
  await user.click(within(form).getByLabelText('Reply'))
  await user.paste(values.body)
}

describe('CannedRepliesPanel', () => {
  it('lists replies with their shortcut, title, team and body', async () => {
    render(<CannedRepliesPanel />)

    const everyone = await screen.findByRole('row', { name: '/refund' })
    const team = screen.getByRole('row', { name: '/hours' })

    expect(within(everyone).getByText('/refund')).toBeInTheDocument()
    expect(within(everyone).getByText('Refund on its way')).toBeInTheDocument()
    expect(within(everyone).getByText('Everyone')).toBeInTheDocument()
    expect(within(everyone).getByText(refund.body)).toBeInTheDocument()
    expect(await within(team).findByText('Support')).toBeInTheDocument()
  })

  it('adds a reply for a team when a lead submits the form', async () => {
    const created: CannedReply = {
      ...refund,
      id: '5c1e2b7a-3d4f-4a6b-8c9d-0e1f2a3b0003',
      shortcut: 'delay',
      title: 'Shipping delay',
      body: 'Sorry for the wait.',
      teamId: support.id,
    }
    api.on('POST', '/api/canned-replies', [200, created])
    const { user, form } = await openAddForm()

    await fill(user, form, { shortcut: 'delay', title: 'Shipping delay', body: 'Sorry for the wait.' })
    await user.selectOptions(within(form).getByLabelText('Team'), 'Support')
    await user.click(within(form).getByRole('button', { name: 'Add reply' }))

    expect(await screen.findByRole('row', { name: '/delay' })).toBeInTheDocument()
    const [request] = api.requests('POST', '/api/canned-replies')
    expect(request?.body).toEqual({ shortcut: 'delay', title: 'Shipping delay', body: 'Sorry for the wait.', teamId: support.id })
    expect(request?.headers[csrfHeader]).toBe(csrfToken)
    expect(screen.queryByRole('form', { name: 'Add a canned reply' })).not.toBeInTheDocument()
    expect(useStore.getState().cannedReplies?.map((r) => r.shortcut)).toEqual(['delay', 'hours', 'refund'])
  })

  it('offers Everyone and the teams the server lists', async () => {
    api.on('GET', '/api/teams', [200, { items: [support, billing] }])
    const { form } = await openAddForm()

    const select = within(form).getByLabelText('Team')

    await waitFor(() =>
      expect(
        within(select)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['Everyone', 'Support', 'Billing']),
    )
    expect(select).toHaveValue('')
  })

  it('previews the reply with sample values when the body uses variables', async () => {
    const { user, form } = await openAddForm()

    await user.click(within(form).getByLabelText('Reply'))
    await user.paste('Hi {{customer.first_name}}, {{agent.first_name}} here from {{channel.name}}. {{customer.name}} / {{agent.name}} {{nope}}')

    const preview = within(form).getByRole('region', { name: 'Preview' })
    expect(preview).toHaveTextContent('Hi Lucía, Lee here from Acme on WhatsApp. Lucía Fernández / Lee Lead {{nope}}')
    expect(within(form).getByText('{{customer.first_name}}')).toBeInTheDocument()
    expect(within(form).getByText('{{channel.name}}')).toBeInTheDocument()
  })

  it('does not submit when the shortcut breaks the pattern', async () => {
    const { user, form } = await openAddForm()

    await fill(user, form, { shortcut: 'Refund now', title: 'Refund', body: 'On its way.' })
    await user.click(within(form).getByRole('button', { name: 'Add reply' }))

    expect(within(form).getByRole('alert')).toHaveTextContent('lowercase letters, digits, - and _')
    expect(within(form).getByLabelText('Shortcut')).toHaveAttribute('aria-invalid', 'true')
    expect(api.requests('POST', '/api/canned-replies')).toHaveLength(0)
  })

  it('drops a leading slash from the shortcut', async () => {
    api.on('POST', '/api/canned-replies', [200, { ...refund, id: '5c1e2b7a-3d4f-4a6b-8c9d-0e1f2a3b0004', shortcut: 'thanks' }])
    const { user, form } = await openAddForm()

    await fill(user, form, { shortcut: '/thanks', title: 'Thanks', body: 'Thank you!' })
    await user.click(within(form).getByRole('button', { name: 'Add reply' }))

    await screen.findByRole('row', { name: '/thanks' })
    expect(api.requests('POST', '/api/canned-replies')[0]?.body).toMatchObject({ shortcut: 'thanks' })
  })

  it('shows the server’s message when the shortcut is taken', async () => {
    api.on('POST', '/api/canned-replies', [409, { error: { code: 'conflict', message: 'Another canned reply has this shortcut.' } }])
    const { user, form } = await openAddForm()

    await fill(user, form, { shortcut: 'refund', title: 'Refund again', body: 'Again.' })
    await user.click(within(form).getByRole('button', { name: 'Add reply' }))

    expect(await within(form).findByRole('alert')).toHaveTextContent('Another canned reply has this shortcut.')
    expect(screen.getByRole('form', { name: 'Add a canned reply' })).toBeInTheDocument()
  })

  it('sends only the changed fields when a reply is edited', async () => {
    const user = userEvent.setup()
    api.on('PATCH', `/api/canned-replies/${hours.id}`, [200, { ...hours, title: 'Our hours' }])
    render(<CannedRepliesPanel />)
    const row = await screen.findByRole('row', { name: '/hours' })

    await user.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = screen.getByRole('form', { name: 'Edit /hours' })
    await user.clear(within(form).getByLabelText('Title'))
    await user.type(within(form).getByLabelText('Title'), 'Our hours')
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    expect(await within(screen.getByRole('row', { name: '/hours' })).findByText('Our hours')).toBeInTheDocument()
    expect(api.requests('PATCH', `/api/canned-replies/${hours.id}`)[0]?.body).toEqual({ title: 'Our hours' })
  })

  it('deletes a reply only once confirmed', async () => {
    const user = userEvent.setup()
    api.on('DELETE', `/api/canned-replies/${refund.id}`, [200, { ok: true }])
    render(<CannedRepliesPanel />)
    const row = await screen.findByRole('row', { name: '/refund' })

    await user.click(within(row).getByRole('button', { name: 'Delete' }))

    expect(within(row).getByRole('group', { name: /Delete \/refund\?/ })).toBeInTheDocument()
    expect(api.requests('DELETE', `/api/canned-replies/${refund.id}`)).toHaveLength(0)

    await user.click(within(row).getByRole('button', { name: 'Yes, delete' }))

    await waitFor(() => expect(screen.queryByRole('row', { name: '/refund' })).not.toBeInTheDocument())
    const [request] = api.requests('DELETE', `/api/canned-replies/${refund.id}`)
    expect(request?.headers[csrfHeader]).toBe(csrfToken)
    expect(screen.getByRole('row', { name: '/hours' })).toBeInTheDocument()
  })

  it('shows markup in a reply as text, in the list and the preview', async () => {
    const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 1">'
    api.on('GET', '/api/canned-replies', [200, { items: [{ ...refund, title: '<b>bold</b>', body: hostile }] }])
    const { user, form, container } = await openAddForm()

    await user.click(within(form).getByLabelText('Reply'))
    await user.paste(`Hi {{customer.first_name}} ${hostile}`)

    const row = screen.getByRole('row', { name: '/refund' })
    expect(within(row).getByText(hostile)).toBeInTheDocument()
    expect(within(row).getByText('<b>bold</b>')).toBeInTheDocument()
    expect(within(form).getByRole('region', { name: 'Preview' })).toHaveTextContent(`Hi Lucía ${hostile}`)
    expect(container.querySelector('script, img, b')).toBeNull()
  })
})

describe('Settings for canned replies', () => {
  async function renderAs(role: Role, path: string) {
    // As on a fresh page load: the console asks the server who is signed in.
    useStore.setState({ session: null, sessionStatus: 'loading' })
    api.on('GET', '/api/auth/me', [200, sessionOf(role)])
    api.on('GET', '/api/channels', [200, []])
    window.history.replaceState(null, '', path)
    useStore.getState().syncPath(path)
    render(<App />)
    return screen.findByRole('navigation', { name: 'Main' })
  }

  it('shows a lead Settings opening on Canned replies, the first of the lead tabs', async () => {
    const nav = await renderAs('lead', '/')

    await userEvent.click(within(nav).getByRole('link', { name: /Settings/ }))

    const tabs = screen.getByRole('navigation', { name: 'Settings' })
    expect(
      within(tabs)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['Canned replies', 'Hours & routing', 'SLA policies', 'Rules', 'Surveys', 'Reports'])
    expect(await screen.findByRole('row', { name: '/refund' })).toBeInTheDocument()
    expect(api.requests('GET', '/api/users')).toHaveLength(0)
  })

  it('opens the tab at /settings/canned-replies', async () => {
    await renderAs('admin', '/settings/canned-replies')

    const tabs = screen.getByRole('navigation', { name: 'Settings' })
    expect(within(tabs).getByRole('link', { name: 'Canned replies' })).toHaveAttribute('aria-current', 'page')
    expect(within(tabs).getByRole('link', { name: 'Canned replies' })).toHaveAttribute('href', '/settings/canned-replies')
    expect(await screen.findByRole('heading', { name: 'Canned replies' })).toBeInTheDocument()
  })

  it('gives an agent no Settings', async () => {
    const nav = await renderAs('agent', '/')

    expect(within(nav).queryByRole('link', { name: /Settings/ })).not.toBeInTheDocument()
  })

  it('tells an agent who opens the URL that it is not for their role', async () => {
    await renderAs('agent', '/settings/canned-replies')

    expect(screen.getByRole('heading', { name: 'Not available' })).toBeInTheDocument()
    expect(api.requests('GET', '/api/canned-replies')).toHaveLength(0)
  })

  it('shows an admin every tab, Canned replies among them', async () => {
    await renderAs('admin', '/settings')

    const tabs = screen.getByRole('navigation', { name: 'Settings' })
    expect(
      within(tabs)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual([
      'Channels',
      'Users',
      'Teams',
      'Canned replies',
      'Hours & routing',
      'SLA policies',
      'Rules',
      'Surveys',
      'Reports',
      'API tokens',
      'Integrations',
      'Audit',
      'System',
    ])
  })
})
