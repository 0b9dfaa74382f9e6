import { describe, expect, it } from 'vitest'
import { coveringSpans, dayNumber, dayOfNumber, spanLengths, spanStart } from '../../../server/src/reports/report-spans.js'

describe('rollup spans', () => {
  it('number days from 1970-01-01 and align spans on those numbers', () => {
    expect(dayNumber('1970-01-01')).toBe(0)
    expect(dayNumber('2026-11-22')).toBe(20_779)
    expect(dayOfNumber(20_779)).toBe('2026-11-22')
    // 20,779 = 81 × 256 + 43: its 81-day span began 43 days before; 20,779 = 3 × 6,926 + 1.
    expect(spanStart('2026-11-22', 81)).toBe('2026-10-10')
    expect(spanStart('2026-11-22', 3)).toBe('2026-11-21')
    expect(spanStart('2026-11-22', 1)).toBe('2026-11-22')
    expect(spanStart('1969-12-31', 3)).toBe('1969-12-29')
  })

  it('cover any range of days exactly, each day once, with aligned spans', () => {
    for (let first = dayNumber('2026-01-01'); first < dayNumber('2026-01-01') + 200; first += 7) {
      for (const length of [1, 2, 7, 30, 31, 90, 365]) {
        const cover = coveringSpans(dayOfNumber(first), dayOfNumber(first + length - 1))
        let next = first
        for (const span of cover) {
          expect(dayNumber(span.day)).toBe(next)
          expect(spanLengths).toContain(span.length)
          expect(dayNumber(span.day) % span.length).toBe(0)
          next += span.length
        }
        expect(next).toBe(first + length)
      }
    }
  })

  it('read 90 days as a handful of spans', () => {
    // 2026-08-25 .. 2026-11-22: 90 days, 10 spans instead of 90 days.
    const cover = coveringSpans('2026-08-25', '2026-11-22')
    expect(cover.map((s) => s.length)).toEqual([1, 9, 9, 27, 27, 9, 3, 3, 1, 1])
    expect(cover[0]).toEqual({ length: 1, day: '2026-08-25' })
    expect(cover[3]).toEqual({ length: 27, day: '2026-09-13' })
    expect(cover.at(-1)).toEqual({ length: 1, day: '2026-11-22' })
    // An 81-day span is used when a period holds one whole.
    expect(coveringSpans('2026-10-10', '2026-12-29')).toEqual([{ length: 81, day: '2026-10-10' }])
  })
})
