import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { DashboardPage } from '../../client/src/features/dashboard/DashboardPage'
import { definitions } from '../../client/src/features/dashboard/definitions'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import { arrangeDashboard } from './report-fixtures'

/**
 * The metrics spec, in the shared folder beside the repository (where CI and every developer have it). jsdom's
 * import.meta.url is not a file URL: the path starts from the repository root, where vitest runs.
 */
const spec = readFileSync(resolve(process.cwd(), '../shared/specs/metrics.md'), 'utf8')
/** The spec as one line of words: no emphasis, no wrapping. */
const specText = spec.replace(/\*/g, '').replace(/\s+/g, ' ')

/** The words of one bullet of the spec, after its bold name: `- **Name**: words…` up to the next bullet or heading. */
function specBullet(name: string): string {
  const start = spec.indexOf(`- **${name}**: `)
  expect(start).toBeGreaterThanOrEqual(0)
  const rest = spec.slice(start + `- **${name}**: `.length)
  const end = rest.search(/\n(- |#|\n)/)
  return rest.slice(0, end).replace(/\*/g, '').replace(/\s+/g, ' ').trim()
}

beforeEach(() => {
  const api = fakeApi()
  arrangeDashboard(api)
  useStore.getState().startSession(sessionOf('lead'))
})

describe('metric definitions', () => {
  it('opens the conversation response rate’s definition a click away, in the spec’s words, then Carebox’s counting', async () => {
    const user = userEvent.setup()
    render(<DashboardPage />)
    const card = await screen.findByRole('region', { name: 'Response rate: conversations' })

    await user.click(within(card).getByRole('button', { name: 'How is Response rate (conversation level) computed?' }))

    const dialog = within(card).getByRole('dialog', { name: 'Response rate (conversation level)' })
    const quoted = within(dialog).getByRole('blockquote')
    expect(quoted.textContent).toBe(`Response rate (conversation level): ${specBullet('Response rate (conversation level)')}`)
    expect(dialog).toHaveTextContent('Carebox counts each conversation in the period its cycle began (its first customer message after any resolve).')
    await user.keyboard('{Escape}')
    expect(within(card).queryByRole('dialog')).not.toBeInTheDocument()
  })

  it('shows the first response time with the spec’s clock, its two flavours, and how precisely times are kept', async () => {
    const user = userEvent.setup()
    render(<DashboardPage />)
    const card = await screen.findByRole('region', { name: 'First response time' })

    await user.click(within(card).getByRole('button', { name: 'How is First response time (FRT) computed?' }))

    const dialog = within(card).getByRole('dialog', { name: 'First response time (FRT)' })
    expect(within(dialog).getByRole('blockquote').textContent).toContain(specBullet('First response time (FRT)'))
    expect(dialog).toHaveTextContent('calendar time and business time')
    expect(dialog).toHaveTextContent('Times are kept to 10 s under 10 minutes')
  })

  it('quotes every definition’s spec sentences exactly as the spec writes them', () => {
    const sentences = Object.values(definitions).flatMap((definition) => definition.spec)

    expect(sentences.length).toBeGreaterThan(10)
    for (const sentence of sentences) expect(specText).toContain(sentence)
  })

  it('gives every card on the dashboard its definition', async () => {
    render(<DashboardPage />)
    await screen.findByRole('region', { name: 'Response rate: conversations' })

    const cards = within(screen.getByRole('group', { name: 'Headline figures' })).getAllByRole('region')

    expect(cards.length).toBeGreaterThanOrEqual(10)
    for (const card of cards) expect(within(card).getByRole('button', { name: /^How is .+ computed\?$/ })).toBeInTheDocument()
  })
})
