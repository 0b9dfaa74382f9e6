import { describe, expect, it } from 'vitest'
import { byNextBreach, defaultListFilters, listQueryOf, mergeFirstPage, sortList } from '../../client/src/store/conversation-list'
import { conversationOf } from './conversation-fixtures'

const due = (at: string) => ({ state: 'active' as const, dueAt: at })
const soonest = conversationOf({ id: '00000000-0000-4000-8000-000000000001', sla: due('2026-03-03T09:05:00.000Z') })
const later = conversationOf({ id: '00000000-0000-4000-8000-000000000002', sla: due('2026-03-03T10:00:00.000Z') })
const overdue = conversationOf({ id: '00000000-0000-4000-8000-000000000003', sla: { state: 'breached', dueAt: '2026-03-03T08:00:00.000Z' } })
const paused = conversationOf({ id: '00000000-0000-4000-8000-000000000004', sla: { state: 'paused', dueAt: null } })
const none = conversationOf({ id: '00000000-0000-4000-8000-000000000005', sla: null })
const byId = Object.fromEntries([soonest, later, overdue, paused, none].map((c) => [c.id, c]))

describe('listQueryOf', () => {
  it('sends the SLA filter and the next-breach sort, and leaves the default order unsaid', () => {
    expect(listQueryOf({ ...defaultListFilters, sla: 'breached', sort: 'next_breach' }, 'cursor-1')).toEqual({
      view: 'open',
      sla: 'breached',
      sort: 'next_breach',
      cursor: 'cursor-1',
      limit: 50,
    })
    expect(listQueryOf(defaultListFilters)).toEqual({ view: 'open', limit: 50 })
  })

  it('searches past the view, with the search filters and whole days in local time', () => {
    const filters = {
      ...defaultListFilters,
      view: 'mine' as const,
      q: 'refund',
      status: 'resolved' as const,
      assigneeId: 'u1',
      from: '2026-02-20',
      to: '2026-02-21',
    }

    expect(listQueryOf(filters)).toEqual({
      q: 'refund',
      status: 'resolved',
      assigneeId: 'u1',
      from: new Date(2026, 1, 20).toISOString(),
      to: new Date(2026, 1, 22).toISOString(),
      limit: 50,
    })
    // Without search words the view stands, and the search's own filters wait.
    expect(listQueryOf({ ...filters, q: null })).toEqual({ view: 'mine', limit: 50 })
  })

  it('asks for the at-risk view in next-breach order whatever the toggle says', () => {
    expect(listQueryOf({ ...defaultListFilters, view: 'at_risk', sort: 'recent' })).toEqual({ view: 'at_risk', sort: 'next_breach', limit: 50 })
  })
})

describe('byNextBreach', () => {
  it('puts the nearest deadline first, overdue ones on top, and those without a running deadline last by id', () => {
    expect(
      sortList(
        [none, paused, later, soonest, overdue].map((c) => c.id),
        byId,
        byNextBreach,
      ),
    ).toEqual([overdue.id, soonest.id, later.id, paused.id, none.id])
  })
})

describe('mergeFirstPage', () => {
  it('keeps an older page loaded earlier when the list is in next-breach order', () => {
    const merged = mergeFirstPage([overdue.id, soonest.id, later.id], byId, 'cursor-2', { items: [overdue, soonest], nextCursor: 'cursor-1' }, byNextBreach)

    expect(merged).toEqual({ order: [overdue.id, soonest.id, later.id], nextCursor: 'cursor-2' })
  })
})
