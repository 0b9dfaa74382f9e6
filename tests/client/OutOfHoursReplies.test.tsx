import { csrfHeader, type ChannelAutoReply } from '@carebox/shared'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { OutOfHoursReplies } from '../../client/src/features/settings/OutOfHoursReplies'
import { useStore } from '../../client/src/store/store'
import { csrfToken, fakeApi, sessionOf, support } from './fake-api'

const whatsapp: ChannelAutoReply = {
  channelId: '5b0e1c2d-0000-4000-8000-000000000001',
  name: 'Acme on WhatsApp',
  kind: 'whatsapp',
  teamId: support.id,
  outOfHoursReply: null,
}
const telegram: ChannelAutoReply = {
  channelId: '5b0e1c2d-0000-4000-8000-000000000002',
  name: '<img src=x onerror=alert(1)>',
  kind: 'telegram',
  teamId: support.id,
  outOfHoursReply: 'We are closed, back at 9.',
}

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', '/api/routing/auto-replies', [200, { items: [whatsapp, telegram] }])
  useStore.getState().startSession(sessionOf('lead'))
})

describe('OutOfHoursReplies', () => {
  it('turns a channel’s acknowledgement on with its text, and another off', async () => {
    const user = userEvent.setup()
    api.on('PUT', `/api/routing/auto-replies/${whatsapp.channelId}`, ({ body }) => [200, { ...whatsapp, ...(body as object) }])
    api.on('PUT', `/api/routing/auto-replies/${telegram.channelId}`, ({ body }) => [200, { ...telegram, ...(body as object) }])
    render(<OutOfHoursReplies />)

    const box = await screen.findByLabelText(/Acme on WhatsApp/)
    await user.type(box, '  Thanks! We answer Monday to Friday, 9–17.  ')
    const whatsappRow = box.closest('li') as HTMLElement
    await user.click(within(whatsappRow).getByRole('button', { name: 'Save' }))
    expect(await within(whatsappRow).findByRole('status')).toHaveTextContent('Saved')
    const [saved] = api.requests('PUT', `/api/routing/auto-replies/${whatsapp.channelId}`)
    expect(saved?.body).toEqual({ outOfHoursReply: 'Thanks! We answer Monday to Friday, 9–17.' })
    expect(saved?.headers[csrfHeader]).toBe(csrfToken)
    expect(within(whatsappRow).getByText('(on)')).toBeInTheDocument()

    // A channel name is shown as text, never as markup.
    const telegramRow = screen.getByText('<img src=x onerror=alert(1)>').closest('li') as HTMLElement
    expect(document.querySelector('img')).toBeNull()
    await user.click(within(telegramRow).getByRole('button', { name: 'Turn off' }))
    expect(await within(telegramRow).findByText('(off)')).toBeInTheDocument()
    expect(api.requests('PUT', `/api/routing/auto-replies/${telegram.channelId}`)[0]?.body).toEqual({ outOfHoursReply: null })
  })

  it('shows the server’s refusal', async () => {
    const user = userEvent.setup()
    api.on('PUT', `/api/routing/auto-replies/${whatsapp.channelId}`, [404, { error: { code: 'not_found', message: 'No such channel.' } }])
    render(<OutOfHoursReplies />)

    const box = await screen.findByLabelText(/Acme on WhatsApp/)
    await user.type(box, 'Closed')
    await user.click(within(box.closest('li') as HTMLElement).getByRole('button', { name: 'Save' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('No such channel.')
  })
})
