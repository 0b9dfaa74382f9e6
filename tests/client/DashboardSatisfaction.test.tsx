import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import metricsDoc from '../../docs/metrics.md?raw'
import { DashboardPage } from '../../client/src/features/dashboard/DashboardPage'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'
import { arrangeDashboard, conversationWithComplaint, reportUrl, satisfactionOf } from './report-fixtures'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('lead'))
  window.history.replaceState(null, '', '/dashboard')
  useStore.getState().syncPath('/dashboard')
})

async function renderSatisfaction() {
  const user = userEvent.setup()
  render(<DashboardPage />)
  const part = await screen.findByRole('region', { name: 'Satisfaction' })
  await within(part).findByRole('group', { name: 'Satisfaction figures' })
  return { user, part }
}

function cellsOf(table: HTMLElement, rowName: string): string[] {
  const row = within(table).getByRole('row', { name: new RegExp(`^${rowName}`) })
  return within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent ?? '')
}

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

describe('DashboardPage: satisfaction', () => {
  it('shows the CSAT score with its ratings and the survey response rate with what was offered', async () => {
    arrangeDashboard(api)

    const { part } = await renderSatisfaction()

    const score = within(part).getByRole('region', { name: 'CSAT score' })
    expect(within(score).getByText('75%')).toBeInTheDocument()
    expect(score).toHaveTextContent('16 ratings, 12 of them 4 or 5')
    const rate = within(part).getByRole('region', { name: 'Survey response rate' })
    expect(within(rate).getByText('66.7%')).toBeInTheDocument()
    expect(rate).toHaveTextContent('16 of 24 offered surveys answered')
    const spread = within(part).getByRole('list', { name: 'Ratings from 1 to 5' })
    expect(
      within(spread)
        .getAllByRole('listitem')
        .map((item) => item.querySelector('.visually-hidden')?.textContent),
    ).toEqual(['1: 2 ratings', '2: 1 rating', '3: 1 rating', '4: 4 ratings', '5: 8 ratings'])
  })

  it('asks for satisfaction with the same period and filters as the other figures', async () => {
    arrangeDashboard(api)
    arrangeDashboard(api, { period: '30d' })
    api.on('GET', reportUrl('/api/reports/satisfaction', { period: '30d' }), [
      200,
      satisfactionOf({ totals: { offered: 10, answered: 5, satisfied: 5, score: 100, responseRate: 0.5, distribution: [0, 0, 0, 0, 5] } }),
    ])
    const { user, part } = await renderSatisfaction()

    await user.click(screen.getByRole('button', { name: '30 days' }))

    await waitFor(() => expect(within(part).getByRole('region', { name: 'CSAT score' })).toHaveTextContent('100%'))
    expect(api.requests('GET', reportUrl('/api/reports/satisfaction'))).toHaveLength(1)
    expect(api.requests('GET', reportUrl('/api/reports/satisfaction', { period: '30d' }))).toHaveLength(1)
    expect(within(part).getByRole('region', { name: 'Survey response rate' })).toHaveTextContent('5 of 10 offered surveys answered')
  })

  it('shows the other figures without waiting for satisfaction, which says it is loading until it arrives', async () => {
    arrangeDashboard(api)
    let answer: (value: [number, unknown]) => void = () => {}
    api.on('GET', reportUrl('/api/reports/satisfaction'), () => new Promise((resolve) => (answer = resolve)))

    render(<DashboardPage />)

    await screen.findByRole('region', { name: 'Response rate: conversations' })
    const part = screen.getByRole('region', { name: 'Satisfaction' })
    expect(part).toHaveAttribute('aria-busy', 'true')
    expect(within(part).getByText('Loading…')).toBeInTheDocument()
    answer([200, satisfactionOf()])
    expect(await within(part).findByRole('region', { name: 'CSAT score' })).toHaveTextContent('75%')
    expect(part).toHaveAttribute('aria-busy', 'false')
  })

  it('says so when satisfaction cannot be loaded, and still shows the other figures', async () => {
    arrangeDashboard(api)
    api.on('GET', reportUrl('/api/reports/satisfaction'), [500, { error: { code: 'internal', message: 'Something went wrong' } }])

    render(<DashboardPage />)

    const part = await screen.findByRole('region', { name: 'Satisfaction' })
    expect(await within(part).findByRole('alert')).toHaveTextContent('Could not load satisfaction: Something went wrong')
    expect(await screen.findByRole('region', { name: 'Response rate: conversations' })).toBeInTheDocument()
  })

  it('lists the latest comments and low ratings, the customer’s words as text, each linking to its conversation', async () => {
    arrangeDashboard(api)
    const { user, part } = await renderSatisfaction()
    const list = within(part).getByRole('list', { name: 'Latest comments and low ratings' })
    const [complaint, praise] = within(list).getAllByRole('listitem')

    expect(complaint).toHaveTextContent('2/5')
    expect(within(complaint!).getByText('<img src=x onerror="alert(1)"> Nobody read my question')).toBeInTheDocument()
    expect(list.querySelector('img')).toBeNull()
    expect(complaint).toHaveTextContent('Jo Customer')
    expect(complaint).toHaveTextContent('Acme on WhatsApp · Agent: Kim Lee')
    expect(praise).toHaveTextContent('5/5')
    expect(praise).toHaveTextContent('Quick and kind, thank you')
    expect(praise).toHaveTextContent('Agent: No person replied')
    const link = within(complaint!).getByRole('link', { name: 'Open conversation with Jo Customer' })
    expect(link).toHaveAttribute('href', `/inbox/${conversationWithComplaint}`)

    await user.click(link)

    expect(window.location.pathname).toBe(`/inbox/${conversationWithComplaint}`)
  })

  it('shows the score, ratings and response rate by agent, channel and tag', async () => {
    arrangeDashboard(api)

    const { part } = await renderSatisfaction()

    const agents = within(part).getByRole('table', { name: 'By agent' })
    expect(cellsOf(agents, 'Maya Agent')).toEqual(['90%', '10', '83.3%'])
    expect(cellsOf(agents, 'Kim Lee')).toEqual(['40%', '5', '62.5%'])
    expect(cellsOf(agents, 'No person replied')).toEqual(['100%', '1', '25%'])
    expect(cellsOf(within(part).getByRole('table', { name: 'By channel' }), 'Acme on Instagram')).toEqual(['75%', '4', '66.7%'])
    expect(cellsOf(within(part).getByRole('table', { name: 'By tag' }), 'refund')).toEqual(['33.3%', '3', '60%'])
  })

  it('lists why surveys were not offered, with how many, and greys the days without ratings in the trend', async () => {
    arrangeDashboard(api)

    const { part } = await renderSatisfaction()

    const reasons = within(part).getByRole('list', { name: 'Surveys not offered' })
    expect(
      within(reasons)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'WhatsApp no longer allows a message to this customer: the 24-hour window has closed.: 3',
      'Public threads get no survey: everyone would see the question.: 1',
    ])
    const trend = within(part).getByRole('figure', { name: 'CSAT score by day' })
    expect(trend.querySelector('svg')).not.toBeNull()
    const days = within(within(trend).getByRole('table', { name: 'CSAT score by day' }))
      .getAllByRole('row')
      .slice(1)
    expect(days[0]).toHaveTextContent(/—\s*0\s*0$/)
    expect(days[0]).toHaveClass('inactive')
    expect(days[1]).toHaveTextContent(/83.3%\s*6\s*5$/)
    expect(days[1]).not.toHaveClass('inactive')
  })

  it('says what will fill it when no survey was due in the period', async () => {
    arrangeDashboard(api)
    api.on('GET', reportUrl('/api/reports/satisfaction'), [
      200,
      satisfactionOf({
        totals: { offered: 0, answered: 0, satisfied: 0, score: null, responseRate: null, distribution: [0, 0, 0, 0, 0] },
        notOffered: [],
        trend: [],
        byAgent: [],
        byChannel: [],
        byTag: [],
        comments: [],
      }),
    ])

    render(<DashboardPage />)

    const part = await screen.findByRole('region', { name: 'Satisfaction' })
    expect(await within(part).findByText(/^No ratings in this period yet: surveys are sent after a resolve\./)).toBeInTheDocument()
    expect(within(part).queryByRole('group', { name: 'Satisfaction figures' })).not.toBeInTheDocument()
  })

  it('shows a dash, not 0%, for a score with surveys offered but no ratings yet', async () => {
    arrangeDashboard(api)
    api.on('GET', reportUrl('/api/reports/satisfaction'), [
      200,
      satisfactionOf({
        totals: { offered: 4, answered: 0, satisfied: 0, score: null, responseRate: 0, distribution: [0, 0, 0, 0, 0] },
        trend: [{ at: '2026-03-07', answered: 0, satisfied: 0, score: null }],
        comments: [],
      }),
    ])

    const { part } = await renderSatisfaction()

    const score = within(part).getByRole('region', { name: 'CSAT score' })
    expect(within(score).getByText('—')).toBeInTheDocument()
    expect(score).toHaveTextContent('0 ratings')
    expect(within(part).getByRole('region', { name: 'Survey response rate' })).toHaveTextContent('0%0 of 4 offered surveys answered')
    expect(within(part).getByRole('figure', { name: 'CSAT score by day' })).toHaveTextContent(
      'No ratings in this period yet: surveys are sent after a resolve.',
    )
    expect(within(part).getByRole('region', { name: 'Latest comments and low ratings' })).toHaveTextContent('No comments or low ratings in this period.')
  })
})

describe('satisfaction definitions', () => {
  it.each([
    ['CSAT score', 'CSAT score'],
    ['Survey response rate', 'Survey response rate'],
    ['By agent', 'Satisfaction per agent'],
  ])('opens the definition of %s in the words of docs/metrics.md', async (regionName, title) => {
    arrangeDashboard(api)
    const { user, part } = await renderSatisfaction()
    const region = within(part).getByRole('region', { name: regionName })
    const section = sectionOf(title)

    await user.click(within(region).getByRole('button', { name: `How is ${title} computed?` }))

    const dialog = within(region).getByRole('dialog', { name: title })
    expect(section.quoted.length).toBeGreaterThan(0)
    expect(within(dialog).getByRole('blockquote').textContent).toBe(section.quoted.join(''))
    expect(section.ours.length).toBeGreaterThan(0)
    for (const paragraph of section.ours) expect(dialog).toHaveTextContent(paragraph)
  })

  it('defines the score on ratings of 4 and 5 of 1 to 5, the rate on surveys offered, and credits the person the customer talked to', () => {
    const score = sectionOf('CSAT score').quoted.join(' ')
    const rate = sectionOf('Survey response rate').quoted.join(' ')
    const perAgent = sectionOf('Satisfaction per agent').quoted.join(' ')

    expect(score).toMatch(/rating of 4 or 5 ÷ survey responses, × 100, on a rating scale of 1 to 5/)
    expect(score).toContain('within 7 days')
    expect(rate).toMatch(/survey responses ÷ surveys offered/)
    expect(rate).toContain('at most once per resolution cycle')
    expect(perAgent).toContain('last reply by a person')
    expect(perAgent).toContain('"No person replied"')
  })
})
