import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import metricsDoc from '../../docs/metrics.md?raw'
import { DashboardPage } from '../../client/src/features/dashboard/DashboardPage'
import { definitions } from '../../client/src/features/dashboard/definitions'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import { arrangeDashboard } from './report-fixtures'

/** Text as the dashboard shows it: the line wrapping of the doc dropped. */
const words = (text: string) => text.replace(/\s+/g, ' ').trim()

/** The paragraphs of one `## ` section of docs/metrics.md, quoted (`> `) or not. */
function sectionOf(title: string): { quoted: string[]; ours: string[] } {
  const start = metricsDoc.indexOf(`\n## ${title}\n`)
  expect(start, `docs/metrics.md has a section "${title}"`).toBeGreaterThanOrEqual(0)
  const body = metricsDoc.slice(start + `\n## ${title}\n`.length).split(/\n## /)[0] as string
  const paragraphs = body.split(/\n\s*\n/).filter((p) => p.trim() !== '')
  const isQuote = (p: string) => p.trimStart().startsWith('>')
  return {
    quoted: paragraphs.filter(isQuote).map((p) => words(p.replace(/^> ?/gm, ''))),
    ours: paragraphs.filter((p) => !isQuote(p)).map(words),
  }
}

beforeEach(() => {
  const api = fakeApi()
  arrangeDashboard(api)
  useStore.getState().startSession(sessionOf('lead'))
})

describe('metric definitions', () => {
  it('opens the conversation response rate’s definition a click away, in the words of docs/metrics.md', async () => {
    const user = userEvent.setup()
    const section = sectionOf('Response rate (conversation level)')
    render(<DashboardPage />)
    const card = await screen.findByRole('region', { name: 'Response rate: conversations' })

    await user.click(within(card).getByRole('button', { name: 'How is Response rate (conversation level) computed?' }))

    const dialog = within(card).getByRole('dialog', { name: 'Response rate (conversation level)' })
    expect(within(dialog).getByRole('blockquote').textContent).toBe(section.quoted.join(''))
    expect(section.ours.length).toBeGreaterThan(0)
    for (const paragraph of section.ours) expect(dialog).toHaveTextContent(paragraph)
    await user.keyboard('{Escape}')
    expect(within(card).queryByRole('dialog')).not.toBeInTheDocument()
  })

  it('shows the first response time with the flavours of every time figure and how precisely times are kept', async () => {
    const user = userEvent.setup()
    render(<DashboardPage />)
    const card = await screen.findByRole('region', { name: 'First response time' })

    await user.click(within(card).getByRole('button', { name: 'How is First response time (FRT) computed?' }))

    const dialog = within(card).getByRole('dialog', { name: 'First response time (FRT)' })
    const quoted = within(dialog).getByRole('blockquote').textContent
    expect(quoted).toBe([...sectionOf('First response time (FRT)').quoted, ...sectionOf('Time figures').quoted].join(''))
    expect(quoted).toContain('calendar time and business time')
    for (const paragraph of sectionOf('Precision of times').ours) expect(dialog).toHaveTextContent(paragraph)
  })

  it('shows docs/metrics.md word for word, every section of it with some figure', () => {
    const titles = [...metricsDoc.matchAll(/^## (.+)$/gm)].map((match) => (match[1] as string).trim())
    const sections = titles.map(sectionOf)
    const shown = Object.values(definitions)

    expect(titles.length).toBeGreaterThan(10)
    for (const definition of shown) {
      expect(titles).toContain(definition.title)
      for (const quote of definition.spec) expect(sections.flatMap((s) => s.quoted)).toContain(quote)
      for (const paragraph of definition.carebox) expect(sections.flatMap((s) => s.ours)).toContain(paragraph)
    }
    const shownText = shown.flatMap((definition) => [...definition.spec, ...definition.carebox])
    for (const paragraph of sections.flatMap((s) => [...s.quoted, ...s.ours])) expect(shownText).toContain(paragraph)
  })

  it('gives every card on the dashboard its definition', async () => {
    render(<DashboardPage />)
    await screen.findByRole('region', { name: 'Response rate: conversations' })

    const cards = within(screen.getByRole('group', { name: 'Headline figures' })).getAllByRole('region')

    expect(cards.length).toBeGreaterThanOrEqual(10)
    for (const card of cards) expect(within(card).getByRole('button', { name: /^How is .+ computed\?$/ })).toBeInTheDocument()
  })
})
