import { describe, expect, it } from 'vitest'
import { planReport, type ReportMessage } from '../../../server/src/reports/report-plan.js'

const calendar = { timeZone: 'Europe/Prague', shifts: [], holidays: [] }
const agent = '3f1d2a10-8c4b-4c1e-9d7a-2b6e5f000001'
const customer = (at: string): ReportMessage => ({ at: new Date(at), kind: 'customer', agentId: null, sentiment: 'neutral' })
const reply = (at: string): ReportMessage => ({ at: new Date(at), kind: 'human', agentId: agent, sentiment: null })

function counted(messages: ReportMessage[], resolutions: string[]) {
  const { contributions, cycles } = planReport({
    messages,
    resolutions: resolutions.map((at) => ({ at: new Date(at), assigneeId: agent })),
    sla: [],
    calendar,
    assigneeId: agent,
  })
  const of = (metric: string) => contributions.filter((c) => c.metric === metric).map((c) => c.at.toISOString())
  return { cycles: cycles.length, conversations: of('conversations'), answered: of('conversations_answered') }
}

describe('an inbound conversation in the reports', () => {
  it('counts once on a day it was reopened, answered if either cycle was', () => {
    const result = counted([customer('2026-03-02T08:00:00Z'), customer('2026-03-02T12:00:00Z'), reply('2026-03-02T12:05:00Z')], ['2026-03-02T09:00:00Z'])
    expect(result.cycles).toBe(2)
    expect(result.conversations).toEqual(['2026-03-02T08:00:00.000Z'])
    expect(result.answered).toEqual(['2026-03-02T08:00:00.000Z'])
  })

  it('counts again on another local day it came back', () => {
    // 23:30 UTC on the 2nd is already the 3rd in Prague (UTC+1 in March).
    const result = counted(
      [customer('2026-03-02T08:00:00Z'), reply('2026-03-02T08:10:00Z'), customer('2026-03-02T23:30:00Z'), reply('2026-03-02T23:40:00Z')],
      ['2026-03-02T09:00:00Z'],
    )
    expect(result.conversations).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-02T23:30:00.000Z'])
    expect(result.answered).toHaveLength(2)
  })
})
