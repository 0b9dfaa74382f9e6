import { afterEach, describe, expect, it } from 'vitest'
import {
  addBusinessMinutes,
  businessMinutesBetween,
  calendarProblems,
  isOpenAt,
  nextOpening,
  type BusinessCalendar,
  type Shift,
} from '../../../server/src/sla/business-time.js'

type Weekday = Shift['weekday']

const mondayToFriday: Weekday[] = [1, 2, 3, 4, 5]
const everyDay: Weekday[] = [0, 1, 2, 3, 4, 5, 6]

function shifts(weekdays: Weekday[], opens: string, closes: string): Shift[] {
  return weekdays.map((weekday) => ({ weekday, opens, closes }))
}

function calendar(timeZone: string, shiftList: Shift[], holidays: string[] = []): BusinessCalendar {
  return { timeZone, shifts: shiftList, holidays }
}

const at = (iso: string) => new Date(iso)

/** 09:00–17:00 Monday to Friday in UTC. */
const office = calendar('UTC', shifts(mondayToFriday, '09:00', '17:00'))
const splitOffice = calendar('UTC', [...shifts(mondayToFriday, '09:00', '12:00'), ...shifts(mondayToFriday, '13:00', '17:00')])
/** A night team open 22:00–06:00 from Monday night to Saturday morning, written as two shifts per night. */
const nightTeam = calendar('Europe/Prague', [...shifts([1, 2, 3, 4, 5], '22:00', '24:00'), ...shifts([2, 3, 4, 5, 6], '00:00', '06:00')])
const pragueAllDay = calendar('Europe/Prague', shifts(everyDay, '00:00', '24:00'))
const pragueSunday = (opens: string, closes: string) => calendar('Europe/Prague', shifts([0], opens, closes))
const newYorkSunday = (opens: string, closes: string) => calendar('America/New_York', shifts([0], opens, closes))
const empty = calendar('Europe/Prague', [])

// 2026: Europe/Prague springs forward on Sunday 29 March 02:00 -> 03:00 (01:00Z) and falls back on Sunday 25 October
// 03:00 -> 02:00 (01:00Z); America/New_York on Sunday 8 March 02:00 -> 03:00 (07:00Z) and Sunday 1 November
// 02:00 -> 01:00 (06:00Z).

describe('addBusinessMinutes', () => {
  it('counts within one day when the whole amount fits', () => {
    expect(addBusinessMinutes(office, at('2026-03-02T10:00:00Z'), 90)).toEqual(at('2026-03-02T11:30:00Z'))
  })

  it('ends exactly at the closing time when the minutes run out there', () => {
    expect(addBusinessMinutes(office, at('2026-03-02T09:00:00Z'), 480)).toEqual(at('2026-03-02T17:00:00Z'))
  })

  it('carries the rest over the weekend when Friday closes first', () => {
    expect(addBusinessMinutes(office, at('2026-03-06T16:00:00Z'), 120)).toEqual(at('2026-03-09T10:00:00Z'))
  })

  it('starts counting at the next opening when from is outside hours', () => {
    expect(addBusinessMinutes(office, at('2026-03-07T12:00:00Z'), 60)).toEqual(at('2026-03-09T10:00:00Z'))
    expect(addBusinessMinutes(office, at('2026-03-02T07:00:00Z'), 30)).toEqual(at('2026-03-02T09:30:00Z'))
  })

  it('starts counting at the next opening when from is exactly a closing time', () => {
    expect(addBusinessMinutes(office, at('2026-03-06T17:00:00Z'), 1)).toEqual(at('2026-03-09T09:01:00Z'))
  })

  it('returns the next opening at or after from when minutes is 0', () => {
    expect(addBusinessMinutes(office, at('2026-03-02T10:00:00Z'), 0)).toEqual(at('2026-03-02T10:00:00Z'))
    expect(addBusinessMinutes(office, at('2026-03-06T17:00:00Z'), 0)).toEqual(at('2026-03-09T09:00:00Z'))
  })

  it('adds fractional minutes to the millisecond', () => {
    expect(addBusinessMinutes(office, at('2026-03-02T10:00:00Z'), 0.5)).toEqual(at('2026-03-02T10:00:30Z'))
    expect(addBusinessMinutes(office, at('2026-03-02T16:59:00Z'), 1.25)).toEqual(at('2026-03-03T09:00:15Z'))
  })

  it('adds 30 days of minutes as 90 working days of 8 hours', () => {
    expect(addBusinessMinutes(office, at('2026-03-02T09:00:00Z'), 30 * 24 * 60)).toEqual(at('2026-07-03T17:00:00Z'))
  })

  it('rejects negative and non-finite minutes', () => {
    expect(() => addBusinessMinutes(office, at('2026-03-02T10:00:00Z'), -1)).toThrow(RangeError)
    expect(() => addBusinessMinutes(office, at('2026-03-02T10:00:00Z'), Number.NaN)).toThrow(RangeError)
    expect(() => addBusinessMinutes(office, at('2026-03-02T10:00:00Z'), Infinity)).toThrow(RangeError)
  })

  it('rejects an invalid Date', () => {
    expect(() => addBusinessMinutes(office, new Date(Number.NaN), 1)).toThrow(RangeError)
  })

  it('returns null when the calendar has no shifts', () => {
    expect(addBusinessMinutes(empty, at('2026-03-02T10:00:00Z'), 0)).toBeNull()
    expect(addBusinessMinutes(empty, at('2026-03-02T10:00:00Z'), 60)).toBeNull()
  })
})

describe('addBusinessMinutes with a split shift', () => {
  it('reaches the start of lunch exactly when the minutes run out there', () => {
    expect(addBusinessMinutes(splitOffice, at('2026-03-02T11:00:00Z'), 60)).toEqual(at('2026-03-02T12:00:00Z'))
  })

  it('moves a deadline that would fall in lunch to after 13:00', () => {
    expect(addBusinessMinutes(splitOffice, at('2026-03-02T11:00:00Z'), 90)).toEqual(at('2026-03-02T13:30:00Z'))
  })

  it('starts counting at 13:00 when from is in lunch', () => {
    expect(addBusinessMinutes(splitOffice, at('2026-03-02T12:30:00Z'), 0)).toEqual(at('2026-03-02T13:00:00Z'))
    expect(addBusinessMinutes(splitOffice, at('2026-03-02T12:30:00Z'), 15)).toEqual(at('2026-03-02T13:15:00Z'))
  })

  it('fills a whole day of both shifts', () => {
    expect(addBusinessMinutes(splitOffice, at('2026-03-02T09:00:00Z'), 420)).toEqual(at('2026-03-02T17:00:00Z'))
    expect(businessMinutesBetween(splitOffice, at('2026-03-02T09:00:00Z'), at('2026-03-02T17:00:00Z'))).toBe(420)
    expect(businessMinutesBetween(splitOffice, at('2026-03-02T11:30:00Z'), at('2026-03-02T13:30:00Z'))).toBe(60)
  })
})

describe('addBusinessMinutes with holidays', () => {
  it('skips a holiday in the middle of the week', () => {
    const withHoliday = calendar('UTC', office.shifts, ['2026-04-01'])

    expect(addBusinessMinutes(withHoliday, at('2026-03-31T16:00:00Z'), 120)).toEqual(at('2026-04-02T10:00:00Z'))
  })

  it('skips a Friday holiday, the weekend and a Monday holiday together', () => {
    const easter = calendar('UTC', office.shifts, ['2026-04-03', '2026-04-06'])

    expect(addBusinessMinutes(easter, at('2026-04-02T16:00:00Z'), 120)).toEqual(at('2026-04-07T10:00:00Z'))
  })

  it('skips a Friday holiday before a weekend', () => {
    const goodFriday = calendar('UTC', office.shifts, ['2026-04-03'])

    expect(addBusinessMinutes(goodFriday, at('2026-04-02T16:30:00Z'), 60)).toEqual(at('2026-04-06T09:30:00Z'))
    expect(businessMinutesBetween(goodFriday, at('2026-04-02T16:30:00Z'), at('2026-04-06T09:30:00Z'))).toBe(60)
  })

  it('closes the local date, not the UTC one', () => {
    const christmas = calendar('Europe/Prague', pragueAllDay.shifts, ['2026-12-24'])

    expect(isOpenAt(christmas, at('2026-12-23T22:59:59.999Z'))).toBe(true)
    expect(isOpenAt(christmas, at('2026-12-23T23:00:00Z'))).toBe(false)
    expect(nextOpening(christmas, at('2026-12-23T23:00:00Z'))).toEqual(at('2026-12-24T23:00:00Z'))
  })
})

describe('addBusinessMinutes across midnight', () => {
  it("counts on from 24:00 into the next day's 00:00 shift", () => {
    expect(addBusinessMinutes(nightTeam, at('2026-01-16T22:30:00Z'), 60)).toEqual(at('2026-01-16T23:30:00Z'))
  })

  it('ends at midnight when the minutes run out there', () => {
    expect(addBusinessMinutes(nightTeam, at('2026-01-16T22:00:00Z'), 60)).toEqual(at('2026-01-16T23:00:00Z'))
  })

  it('carries the rest from Saturday morning to Monday night', () => {
    expect(addBusinessMinutes(nightTeam, at('2026-01-17T04:30:00Z'), 60)).toEqual(at('2026-01-19T21:30:00Z'))
  })

  it('counts a whole night as one stretch', () => {
    expect(businessMinutesBetween(nightTeam, at('2026-01-16T20:00:00Z'), at('2026-01-17T06:00:00Z'))).toBe(480)
    expect(isOpenAt(nightTeam, at('2026-01-16T23:00:00Z'))).toBe(true)
    expect(nextOpening(nightTeam, at('2026-01-16T23:00:00Z'))).toEqual(at('2026-01-16T23:00:00Z'))
  })
})

describe('Europe/Prague daylight saving time', () => {
  it('has 23 open hours on the spring-forward day and 25 on the fall-back day of a 24 h shift', () => {
    expect(businessMinutesBetween(pragueAllDay, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * 60)
    expect(businessMinutesBetween(pragueAllDay, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * 60)
  })

  it('counts real minutes through the spring gap', () => {
    expect(addBusinessMinutes(pragueAllDay, at('2026-03-29T00:30:00Z'), 60)).toEqual(at('2026-03-29T01:30:00Z'))
  })

  it('counts real minutes through the repeated hour', () => {
    expect(addBusinessMinutes(pragueAllDay, at('2026-10-25T00:30:00Z'), 60)).toEqual(at('2026-10-25T01:30:00Z'))
  })

  it('ends a 24 h Sunday shift at the next local midnight', () => {
    const sunday = pragueSunday('00:00', '24:00')

    expect(nextOpening(sunday, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-28T23:00:00Z'))
    expect(addBusinessMinutes(sunday, at('2026-03-28T12:00:00Z'), 23 * 60)).toEqual(at('2026-03-29T22:00:00Z'))
    expect(addBusinessMinutes(sunday, at('2026-03-28T12:00:00Z'), 23 * 60 + 1)).toEqual(at('2026-04-04T22:01:00Z'))
    expect(addBusinessMinutes(sunday, at('2026-10-24T12:00:00Z'), 25 * 60)).toEqual(at('2026-10-25T23:00:00Z'))
  })

  it('makes 01:00–05:00 three real hours in spring and five in autumn', () => {
    const early = pragueSunday('01:00', '05:00')

    expect(nextOpening(early, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-29T00:00:00Z'))
    expect(addBusinessMinutes(early, at('2026-03-28T12:00:00Z'), 180)).toEqual(at('2026-03-29T03:00:00Z'))
    expect(addBusinessMinutes(early, at('2026-03-28T12:00:00Z'), 181)).toEqual(at('2026-04-04T23:01:00Z'))
    expect(businessMinutesBetween(early, at('2026-03-28T12:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(180)
    expect(nextOpening(early, at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-24T23:00:00Z'))
    expect(addBusinessMinutes(early, at('2026-10-24T12:00:00Z'), 300)).toEqual(at('2026-10-25T04:00:00Z'))
    expect(businessMinutesBetween(early, at('2026-10-24T12:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(300)
  })

  it('gives a 02:00–03:00 shift no open time on the spring-forward day and two hours on the fall-back day', () => {
    const gapHour = pragueSunday('02:00', '03:00')

    expect(nextOpening(gapHour, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-04-05T00:00:00Z'))
    expect(isOpenAt(gapHour, at('2026-03-29T01:00:00Z'))).toBe(false)
    expect(nextOpening(gapHour, at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-25T00:00:00Z'))
    expect(businessMinutesBetween(gapHour, at('2026-10-24T12:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(120)
    expect(isOpenAt(gapHour, at('2026-10-25T01:30:00Z'))).toBe(true)
    expect(isOpenAt(gapHour, at('2026-10-25T02:00:00Z'))).toBe(false)
  })

  it('opens a shift whose opening time is skipped at the end of the gap', () => {
    const opensInGap = pragueSunday('02:30', '04:00')

    expect(nextOpening(opensInGap, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-29T01:00:00Z'))
    expect(businessMinutesBetween(opensInGap, at('2026-03-28T12:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(60)
  })

  it('closes a shift whose closing time is skipped at the end of the gap', () => {
    const closesInGap = pragueSunday('01:30', '02:30')

    expect(addBusinessMinutes(closesInGap, at('2026-03-28T12:00:00Z'), 30)).toEqual(at('2026-03-29T01:00:00Z'))
    expect(businessMinutesBetween(closesInGap, at('2026-03-28T12:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(30)
  })

  it('gives a shift inside the gap no open time that day', () => {
    const insideGap = pragueSunday('02:15', '02:45')

    expect(nextOpening(insideGap, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-04-05T00:15:00Z'))
  })

  it('opens at the first occurrence of a repeated time and closes at the last', () => {
    const opensInRepeat = pragueSunday('02:30', '04:00')
    const closesInRepeat = pragueSunday('01:30', '02:30')
    const insideRepeat = pragueSunday('02:15', '02:45')

    expect(nextOpening(opensInRepeat, at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-25T00:30:00Z'))
    expect(isOpenAt(opensInRepeat, at('2026-10-25T01:10:00Z'))).toBe(true)
    expect(businessMinutesBetween(opensInRepeat, at('2026-10-24T12:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(150)
    expect(addBusinessMinutes(closesInRepeat, at('2026-10-24T12:00:00Z'), 120)).toEqual(at('2026-10-25T01:30:00Z'))
    expect(addBusinessMinutes(closesInRepeat, at('2026-10-24T12:00:00Z'), 121)).toEqual(at('2026-11-01T00:31:00Z'))
    expect(businessMinutesBetween(insideRepeat, at('2026-10-24T12:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(90)
  })

  it('keeps a night shift continuous across midnight on the DST days', () => {
    const nights = calendar('Europe/Prague', [...shifts([6], '22:00', '24:00'), ...shifts([0], '00:00', '06:00')])

    expect(addBusinessMinutes(nights, at('2026-03-28T21:00:00Z'), 180)).toEqual(at('2026-03-29T00:00:00Z'))
    expect(businessMinutesBetween(nights, at('2026-03-28T12:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(7 * 60)
    expect(businessMinutesBetween(nights, at('2026-10-24T12:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(9 * 60)
  })
})

describe('America/New_York daylight saving time', () => {
  it('makes Sunday 00:00–12:00 eleven real hours on 8 March and thirteen on 1 November', () => {
    const morning = newYorkSunday('00:00', '12:00')

    expect(nextOpening(morning, at('2026-03-07T12:00:00Z'))).toEqual(at('2026-03-08T05:00:00Z'))
    expect(addBusinessMinutes(morning, at('2026-03-07T12:00:00Z'), 11 * 60)).toEqual(at('2026-03-08T16:00:00Z'))
    expect(nextOpening(morning, at('2026-10-31T12:00:00Z'))).toEqual(at('2026-11-01T04:00:00Z'))
    expect(addBusinessMinutes(morning, at('2026-10-31T12:00:00Z'), 13 * 60)).toEqual(at('2026-11-01T17:00:00Z'))
  })

  it('makes 01:00–05:00 three real hours in spring and five in autumn', () => {
    const early = newYorkSunday('01:00', '05:00')

    expect(businessMinutesBetween(early, at('2026-03-07T12:00:00Z'), at('2026-03-09T00:00:00Z'))).toBe(180)
    expect(businessMinutesBetween(early, at('2026-10-31T12:00:00Z'), at('2026-11-02T00:00:00Z'))).toBe(300)
    expect(addBusinessMinutes(early, at('2026-10-31T12:00:00Z'), 300)).toEqual(at('2026-11-01T10:00:00Z'))
  })

  it('opens a shift whose opening time is skipped at the end of the gap', () => {
    const opensInGap = newYorkSunday('02:30', '03:30')

    expect(nextOpening(opensInGap, at('2026-03-07T12:00:00Z'))).toEqual(at('2026-03-08T07:00:00Z'))
    expect(addBusinessMinutes(opensInGap, at('2026-03-07T12:00:00Z'), 30)).toEqual(at('2026-03-08T07:30:00Z'))
  })

  it('keeps office hours local when the weekend changes the offset', () => {
    const newYorkOffice = calendar('America/New_York', office.shifts)

    expect(addBusinessMinutes(newYorkOffice, at('2026-03-06T21:00:00Z'), 120)).toEqual(at('2026-03-09T14:00:00Z'))
    expect(addBusinessMinutes(newYorkOffice, at('2026-10-30T20:00:00Z'), 120)).toEqual(at('2026-11-02T15:00:00Z'))
  })
})

describe('zones with unusual changes', () => {
  it('finds a change at a half hour in UTC (America/St_Johns)', () => {
    const early = calendar('America/St_Johns', shifts([0], '01:00', '05:00'))

    expect(nextOpening(early, at('2026-03-07T12:00:00Z'))).toEqual(at('2026-03-08T04:30:00Z'))
    expect(addBusinessMinutes(early, at('2026-03-07T12:00:00Z'), 180)).toEqual(at('2026-03-08T07:30:00Z'))
  })

  it('makes a day 23½ hours long when the change is 30 minutes (Australia/Lord_Howe)', () => {
    const sunday = calendar('Australia/Lord_Howe', shifts([0], '00:00', '24:00'))

    expect(businessMinutesBetween(sunday, at('2026-10-03T00:00:00Z'), at('2026-10-05T00:00:00Z'))).toBe(23.5 * 60)
  })

  it('starts a date whose midnight is skipped at the end of the gap, and one whose midnight repeats at its first (America/Havana)', () => {
    const sunday = calendar('America/Havana', shifts([0], '00:00', '24:00'))

    expect(nextOpening(sunday, at('2026-03-07T12:00:00Z'))).toEqual(at('2026-03-08T05:00:00Z'))
    expect(addBusinessMinutes(sunday, at('2026-03-07T12:00:00Z'), 23 * 60)).toEqual(at('2026-03-09T04:00:00Z'))
    expect(nextOpening(sunday, at('2026-10-31T12:00:00Z'))).toEqual(at('2026-11-01T04:00:00Z'))
    expect(addBusinessMinutes(sunday, at('2026-10-31T12:00:00Z'), 25 * 60)).toEqual(at('2026-11-02T05:00:00Z'))
  })
})

describe('businessMinutesBetween', () => {
  it('returns 0 when to is at or before from', () => {
    expect(businessMinutesBetween(office, at('2026-03-02T12:00:00Z'), at('2026-03-02T12:00:00Z'))).toBe(0)
    expect(businessMinutesBetween(office, at('2026-03-02T12:00:00Z'), at('2026-03-02T10:00:00Z'))).toBe(0)
  })

  it('counts only open time across a weekend', () => {
    expect(businessMinutesBetween(office, at('2026-03-06T16:00:00Z'), at('2026-03-09T10:00:00Z'))).toBe(120)
  })

  it('returns fractional minutes', () => {
    expect(businessMinutesBetween(office, at('2026-03-02T10:00:00Z'), at('2026-03-02T10:00:30Z'))).toBe(0.5)
    expect(businessMinutesBetween(office, at('2026-03-02T16:59:59.994Z'), at('2026-03-03T09:00:00Z'))).toBeCloseTo(0.0001, 9)
  })

  it('counts a whole year: 261 weekdays of 8 hours in 2026', () => {
    expect(businessMinutesBetween(office, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toBe(261 * 480)
  })

  it('returns 0 for a calendar with no shifts', () => {
    expect(businessMinutesBetween(empty, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toBe(0)
  })
})

/** mulberry32: a small seeded PRNG, so a failure reproduces. */
function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('businessMinutesBetween and addBusinessMinutes together', () => {
  const calendars: Record<string, BusinessCalendar> = {
    office,
    splitOffice,
    nightTeam: { ...nightTeam, holidays: ['2026-03-31', '2026-10-28', '2026-12-24'] },
    pragueEarlySundays: pragueSunday('01:30', '02:30'),
    newYork: calendar('America/New_York', [...shifts(mondayToFriday, '08:00', '12:00'), ...shifts([0, 6], '00:00', '24:00')]),
    lordHowe: calendar('Australia/Lord_Howe', shifts(everyDay, '01:00', '03:00')),
  }
  const yearStart = Date.parse('2026-01-01T00:00:00Z')
  const yearMs = Date.parse('2027-01-01T00:00:00Z') - yearStart

  it.each(Object.entries(calendars))('measures back exactly the minutes it added (%s)', (_name, subject) => {
    const random = seededRandom(20260329)

    for (let run = 0; run < 300; run++) {
      const from = new Date(yearStart + Math.floor(random() * yearMs))
      const minutes = run % 2 === 0 ? Math.floor(random() * 5000) : Math.floor(random() * 5000 * 60_000) / 60_000
      const deadline = addBusinessMinutes(subject, from, minutes)

      expect(deadline).not.toBeNull()
      if (!deadline) return
      expect(deadline.getTime()).toBeGreaterThanOrEqual(from.getTime())
      expect(Math.abs(businessMinutesBetween(subject, from, deadline) - minutes)).toBeLessThan(1e-6)
      if (minutes > 0) expect(isOpenAt(subject, new Date(deadline.getTime() - 1))).toBe(true)
    }
  })

  it.each(Object.entries(calendars))('adds in two steps the same as in one (%s)', (_name, subject) => {
    const random = seededRandom(20261025)

    for (let run = 0; run < 200; run++) {
      const from = new Date(yearStart + Math.floor(random() * yearMs))
      const first = Math.floor(random() * 3000)
      const second = Math.floor(random() * 3000)
      const halfway = addBusinessMinutes(subject, from, first)

      expect(halfway).not.toBeNull()
      if (!halfway) return
      expect(addBusinessMinutes(subject, halfway, second)).toEqual(addBusinessMinutes(subject, from, first + second))
    }
  })
})

describe('isOpenAt', () => {
  it('is open from the opening instant up to, not including, the closing one', () => {
    expect(isOpenAt(office, at('2026-03-02T08:59:59.999Z'))).toBe(false)
    expect(isOpenAt(office, at('2026-03-02T09:00:00Z'))).toBe(true)
    expect(isOpenAt(office, at('2026-03-02T16:59:59.999Z'))).toBe(true)
    expect(isOpenAt(office, at('2026-03-02T17:00:00Z'))).toBe(false)
  })

  it('is closed at the weekend and in lunch', () => {
    expect(isOpenAt(office, at('2026-03-07T12:00:00Z'))).toBe(false)
    expect(isOpenAt(splitOffice, at('2026-03-02T12:00:00Z'))).toBe(false)
    expect(isOpenAt(splitOffice, at('2026-03-02T13:00:00Z'))).toBe(true)
  })

  it("reads shifts in the calendar's zone", () => {
    const pragueOffice = calendar('Europe/Prague', office.shifts)

    expect(isOpenAt(pragueOffice, at('2026-01-05T08:00:00Z'))).toBe(true)
    expect(isOpenAt(pragueOffice, at('2026-01-05T16:00:00Z'))).toBe(false)
    expect(isOpenAt(pragueOffice, at('2026-07-06T07:00:00Z'))).toBe(true)
    expect(isOpenAt(pragueOffice, at('2026-07-06T15:00:00Z'))).toBe(false)
  })

  it('is never open for a calendar with no shifts', () => {
    expect(isOpenAt(empty, at('2026-03-02T10:00:00Z'))).toBe(false)
  })
})

describe('nextOpening', () => {
  it('returns from itself when open', () => {
    expect(nextOpening(office, at('2026-03-02T10:15:00Z'))).toEqual(at('2026-03-02T10:15:00Z'))
  })

  it("returns the same day's opening before hours and Monday's after Friday closes", () => {
    expect(nextOpening(office, at('2026-03-02T06:00:00Z'))).toEqual(at('2026-03-02T09:00:00Z'))
    expect(nextOpening(office, at('2026-03-06T17:00:00Z'))).toEqual(at('2026-03-09T09:00:00Z'))
  })

  it('returns null for a calendar with no shifts', () => {
    expect(nextOpening(empty, at('2026-03-02T10:00:00Z'))).toBeNull()
  })

  it('returns null when every open day for more than 400 days is a holiday', () => {
    const mondays = Array.from({ length: 70 }, (_, week) => new Date(Date.UTC(2026, 0, 5 + 7 * week)).toISOString().slice(0, 10))
    const mondaysOnly = calendar('UTC', shifts([1], '09:00', '17:00'), mondays)

    expect(nextOpening(mondaysOnly, at('2026-01-01T00:00:00Z'))).toBeNull()
    expect(addBusinessMinutes(mondaysOnly, at('2026-01-01T00:00:00Z'), 60)).toBeNull()
    expect(nextOpening(mondaysOnly, at('2027-03-01T00:00:00Z'))).toEqual(at('2027-05-10T09:00:00Z'))
  })
})

describe('on any host time zone', () => {
  const hostZone = process.env.TZ

  afterEach(() => {
    if (hostZone === undefined) delete process.env.TZ
    else process.env.TZ = hostZone
  })

  it.each(['America/Los_Angeles', 'Pacific/Chatham', 'Asia/Kolkata', 'Europe/Prague'])('gives the same answers when the host runs in %s', (zone) => {
    process.env.TZ = zone

    expect(businessMinutesBetween(pragueAllDay, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * 60)
    expect(nextOpening(pragueSunday('02:30', '04:00'), at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-29T01:00:00Z'))
    expect(addBusinessMinutes(newYorkSunday('01:00', '05:00'), at('2026-10-31T12:00:00Z'), 300)).toEqual(at('2026-11-01T10:00:00Z'))
    expect(addBusinessMinutes(nightTeam, at('2026-01-16T22:30:00Z'), 60)).toEqual(at('2026-01-16T23:30:00Z'))
  })
})

describe('calendarProblems', () => {
  it('finds nothing wrong with a valid calendar, including touching shifts and 24:00', () => {
    const valid = calendar('Europe/Prague', [...shifts([1], '00:00', '12:00'), ...shifts([1], '12:00', '24:00')], ['2026-12-24', '2028-02-29'])

    expect(calendarProblems(valid)).toEqual([])
    expect(calendarProblems(nightTeam)).toEqual([])
    expect(calendarProblems(empty)).toEqual([])
  })

  it.each(['Europe/Atlantis', 'Mars+01', '', 'CET+'])('rejects the time zone %j', (timeZone) => {
    expect(calendarProblems(calendar(timeZone, []))).toEqual([`Time zone "${timeZone}" is not an IANA time zone.`])
  })

  it.each([
    ['9:00', '17:00', /opens must be a time 'HH:mm'/],
    ['24:00', '24:00', /opens must be a time 'HH:mm'/],
    ['09:00', '25:00', /closes must be a time 'HH:mm'/],
    ['09:00', '12:60', /closes must be a time 'HH:mm'/],
    ['09:00', '17:00:00', /closes must be a time 'HH:mm'/],
    ['17:00', '09:00', /opens must be before closes/],
    ['09:00', '09:00', /opens must be before closes/],
    ['22:00', '06:00', /opens must be before closes/],
  ])('rejects a shift from %s to %s', (opens, closes, problem) => {
    const problems = calendarProblems(calendar('UTC', [{ weekday: 1, opens, closes }]))

    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^Shift 1 \(Monday /)
    expect(problems[0]).toMatch(problem)
  })

  it('rejects a weekday outside 0–6', () => {
    const problems = calendarProblems(calendar('UTC', [{ weekday: 7 as Weekday, opens: '09:00', closes: '17:00' }]))

    expect(problems).toEqual(['Shift 1 (weekday 7 09:00–17:00): weekday must be 0 (Sunday) to 6 (Saturday).'])
  })

  it('rejects overlapping shifts on the same weekday only', () => {
    const overlapping = calendar('UTC', [
      { weekday: 2, opens: '09:00', closes: '13:00' },
      { weekday: 3, opens: '12:00', closes: '17:00' },
      { weekday: 2, opens: '12:00', closes: '17:00' },
    ])

    expect(calendarProblems(overlapping)).toEqual(['Shift 3 (Tuesday 12:00–17:00) overlaps another Tuesday shift (09:00–13:00).'])
  })

  it.each(['2026-02-30', '2026-2-3', '26-01-01', '2026-13-01', 'tomorrow', '2026-01-01T00:00'])('rejects the holiday %j', (holiday) => {
    expect(calendarProblems(calendar('UTC', [], [holiday]))).toEqual([`Holiday "${holiday}" is not a date 'YYYY-MM-DD'.`])
  })

  it('lists every problem at once', () => {
    const broken = calendar('Nowhere/City', [{ weekday: 1, opens: '18:00', closes: '08:00' }], ['soon'])

    expect(calendarProblems(broken)).toHaveLength(3)
  })

  it('makes the other functions throw rather than guess', () => {
    const broken = calendar('Nowhere/City', shifts([1], '09:00', '17:00'))

    expect(() => isOpenAt(broken, at('2026-03-02T10:00:00Z'))).toThrow(/^Invalid business calendar: Time zone "Nowhere\/City"/)
    expect(() => nextOpening(broken, at('2026-03-02T10:00:00Z'))).toThrow(RangeError)
    expect(() => addBusinessMinutes(broken, at('2026-03-02T10:00:00Z'), 1)).toThrow(RangeError)
    expect(() => businessMinutesBetween(broken, at('2026-03-02T10:00:00Z'), at('2026-03-03T10:00:00Z'))).toThrow(RangeError)
  })
})
