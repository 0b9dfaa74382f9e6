import { csrfHeader, type ChangeDeadLetter, type ChangesOverview } from '@carebox/shared'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ChangeConsumers } from '../../client/src/features/settings/ChangeConsumers'
import { useStore } from '../../client/src/store/store'
import { csrfToken, fakeApi, sessionOf } from './fake-api'

const conversationId = '9c1e0b7a-0000-4000-8000-000000000001'

const rollupsLetter: ChangeDeadLetter = {
  consumer: 'rollups',
  seq: 41,
  type: 'conversation.updated',
  conversationId,
  occurredAt: '2026-03-02T08:00:00.000Z',
  attempts: 5,
  error: '<img src=x onerror=alert(1)> deadlock detected',
  parkedAt: '2026-03-02T08:01:00.000Z',
}
const slaLetter: ChangeDeadLetter = {
  consumer: 'sla',
  seq: 40,
  type: 'contact.updated',
  conversationId: null,
  occurredAt: '2026-03-02T07:00:00.000Z',
  attempts: 5,
  error: 'no SLA policy',
  parkedAt: '2026-03-02T07:01:00.000Z',
}

function overviewOf(deadLetters: ChangeDeadLetter[]): ChangesOverview {
  const count = (name: string) => deadLetters.filter((d) => d.consumer === name).length
  return {
    head: 45,
    consumers: [
      { name: 'console', seq: 45, processed: 45, behind: 0, deadLetters: 0, updatedAt: '2026-03-02T08:59:00.000Z' },
      { name: 'rollups', seq: 42, processed: 40, behind: 3, deadLetters: count('rollups'), updatedAt: '2026-03-02T08:58:00.000Z' },
      { name: 'sla', seq: 45, processed: 44, behind: 0, deadLetters: count('sla'), updatedAt: '2026-03-02T08:59:00.000Z' },
    ],
    deadLetters,
  }
}

const changesUrl = '/api/system/changes'
const replayUrl = '/api/system/changes/dead-letters/replay'
const replayAllUrl = '/api/system/changes/dead-letters/replay-all'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  api.on('GET', changesUrl, [200, overviewOf([rollupsLetter, slaLetter])])
  useStore.getState().startSession(sessionOf('admin'))
})

describe('ChangeConsumers', () => {
  it('shows each consumer with what it does and how far behind it is, and the dead letters as plain text', async () => {
    render(<ChangeConsumers />)

    const consumers = await screen.findByRole('table', { name: 'Consumers of changes' })
    const rollups = within(consumers)
      .getByRole('rowheader', { name: /rollups/ })
      .closest('tr') as HTMLElement
    expect(rollups).toHaveTextContent('The figures in reports')
    expect(
      within(rollups)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['3', '40', '1', expect.stringMatching(/ago$/)])
    expect(within(consumers).getByRole('rowheader', { name: /console/ })).toHaveTextContent('Live updates to agents’ consoles')

    const letters = screen.getByRole('table', { name: 'Dead letters' })
    const row = within(letters).getByText('<img src=x onerror=alert(1)> deadlock detected').closest('tr') as HTMLElement
    expect(document.querySelector('img')).toBeNull()
    expect(row).toHaveTextContent('conversation.updated')
    expect(within(row).getByRole('link', { name: '#9c1e0b7a' })).toHaveAttribute('href', `/inbox/${conversationId}`)
    const slaRow = within(letters).getByText('no SLA policy').closest('tr') as HTMLElement
    expect(within(slaRow).queryByRole('link')).toBeNull()
  })

  it('removes a dead letter once its replay works, and refreshes', async () => {
    const user = userEvent.setup()
    api.on('POST', replayUrl, [200, { replayed: true }])
    render(<ChangeConsumers />)
    const button = await screen.findByRole('button', { name: 'Replay change #41 for rollups' })
    api.on('GET', changesUrl, [200, overviewOf([slaLetter])])

    await user.click(button)

    expect(await screen.findByRole('status')).toHaveTextContent('Change #41 replayed for rollups.')
    expect(screen.queryByText(rollupsLetter.error)).toBeNull()
    const [request] = api.requests('POST', replayUrl)
    expect(request?.body).toEqual({ consumer: 'rollups', seq: 41 })
    expect(request?.headers[csrfHeader]).toBe(csrfToken)
    expect(api.requests('GET', changesUrl)).toHaveLength(2)
  })

  it('keeps a dead letter whose replay fails again and says why', async () => {
    const user = userEvent.setup()
    api.on('POST', replayUrl, [409, { error: { code: 'conflict', message: 'Replay failed again: deadlock detected' } }])
    render(<ChangeConsumers />)

    await user.click(await screen.findByRole('button', { name: 'Replay change #41 for rollups' }))

    const row = screen.getByText(rollupsLetter.error).closest('tr') as HTMLElement
    expect(await within(row).findByRole('alert')).toHaveTextContent('Replay failed again: deadlock detected')
    expect(within(row).getByRole('button', { name: 'Replay change #41 for rollups' })).toBeEnabled()
  })

  it('replays all and tells how many failed again', async () => {
    const user = userEvent.setup()
    api.on('POST', replayAllUrl, [200, { replayed: 1, failed: 1 }])
    render(<ChangeConsumers />)
    await screen.findByRole('table', { name: 'Dead letters' })
    api.on('GET', changesUrl, [200, overviewOf([rollupsLetter])])

    await user.click(screen.getByRole('button', { name: 'Replay all' }))

    expect(await screen.findByRole('status')).toHaveTextContent('Replayed 1; 1 failed again and stay listed with their new error.')
    expect(api.requests('POST', replayAllUrl)[0]?.body).toEqual({})
    await waitFor(() => expect(screen.queryByText('no SLA policy')).toBeNull())
    expect(screen.getByText(rollupsLetter.error)).toBeInTheDocument()
  })

  it('says so when there are no dead letters', async () => {
    api.on('GET', changesUrl, [200, overviewOf([])])

    render(<ChangeConsumers />)

    expect(await screen.findByText('No dead letters: every change has been followed up.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Replay all' })).toBeDisabled()
  })
})
