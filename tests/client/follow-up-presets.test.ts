import { describe, expect, it } from 'vitest'
import { followUpPresets, fromLocalInput, toLocalInput, type TeamHours } from '../../client/src/features/conversation/follow-up-presets'

const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '17:00' }))
const prague: TeamHours = { timeZone: 'Europe/Prague', businessHours: { shifts: weekdays, holidays: [] } }

function presetOf(hours: TeamHours | null, now: string, id: string) {
  const preset = followUpPresets(hours, new Date(now)).find((p) => p.id === id)!
  return { label: preset.label, at: preset.at.toISOString() }
}

describe('followUpPresets', () => {
  it("offers tomorrow at the start of the team's hours, in the team's time zone", () => {
    // Wednesday 16:00 in Prague (UTC+1 in winter): Thursday 08:00 there.
    expect(presetOf(prague, '2026-03-04T15:00:00.000Z', 'team-opens')).toEqual({
      label: "Tomorrow at the start of the team's hours",
      at: '2026-03-05T07:00:00.000Z',
    })
  })

  it('goes on to the next day the team is open after a weekend or a holiday, and names it', () => {
    expect(presetOf(prague, '2026-03-06T15:00:00.000Z', 'team-opens')).toEqual({
      label: "Monday at the start of the team's hours",
      at: '2026-03-09T07:00:00.000Z',
    })
    const withHoliday = { ...prague, businessHours: { shifts: weekdays, holidays: ['2026-03-05'] } }
    expect(presetOf(withHoliday, '2026-03-04T15:00:00.000Z', 'team-opens')).toEqual({
      label: "Friday at the start of the team's hours",
      at: '2026-03-06T07:00:00.000Z',
    })
  })

  it('counts the days by the team’s calendar, and follows its clock across a daylight-saving change', () => {
    // 00:30 on Saturday 28 March in Prague is still Friday in UTC; the clocks go forward on Sunday 29 March.
    expect(presetOf(prague, '2026-03-27T23:30:00.000Z', 'team-opens').at).toBe('2026-03-30T06:00:00.000Z')
    expect(presetOf(prague, '2026-03-27T23:30:00.000Z', 'next-week').at).toBe('2026-03-30T06:00:00.000Z')
  })

  it("starts next week's preset on Monday at the team's opening, a week on when today is Monday", () => {
    expect(presetOf(prague, '2026-03-09T10:00:00.000Z', 'next-week')).toEqual({
      label: "Next week, at the start of the team's hours",
      at: '2026-03-16T07:00:00.000Z',
    })
  })

  it("falls back to 9:00 in the agent's own time when the team's hours are unknown, empty or in an unknown zone", () => {
    const now = new Date('2026-03-04T15:00:00.000Z')
    const nine = new Date(now)
    nine.setDate(nine.getDate() + 1)
    nine.setHours(9, 0, 0, 0)

    for (const hours of [null, { ...prague, businessHours: { shifts: [], holidays: [] } }, { ...prague, timeZone: 'Mars/Olympus' }]) {
      const [tomorrow, inThreeDays, nextWeek] = followUpPresets(hours, now)
      expect(tomorrow).toEqual({ id: 'team-opens', label: 'Tomorrow 9:00', at: nine })
      expect(inThreeDays?.label).toBe('In 3 days')
      expect(nextWeek?.label).toBe('Next week (Monday 9:00)')
      expect(nextWeek?.at.getDay()).toBe(1)
    }
  })
})

describe('toLocalInput', () => {
  it('writes a moment the way a date-time input holds it, and reads it back', () => {
    const at = new Date(2026, 2, 5, 9, 7)

    expect(toLocalInput(at)).toBe('2026-03-05T09:07')
    expect(fromLocalInput('2026-03-05T09:07')).toEqual(at)
    expect(fromLocalInput('')).toBeNull()
  })
})
