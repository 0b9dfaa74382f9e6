import { afterEach, describe, expect, it } from 'vitest'
import { resolvePeriod } from '../../../server/src/reports/report-period.js'

const zone = process.env.TZ

afterEach(() => {
  if (zone === undefined) delete process.env.TZ
  else process.env.TZ = zone
})

describe('report periods', () => {
  it('are whole local days in the team zone, the last one ending now', () => {
    const period = resolvePeriod({ period: '7d' }, 'Europe/Prague', new Date('2026-03-29T10:00:00Z'))
    // The last Sunday of March: Prague moves to summer time at 02:00, so that day starts at 23:00 UTC the day before.
    expect(period.days).toEqual(['2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29'])
    expect(period.info).toMatchObject({ from: '2026-03-22T23:00:00.000Z', to: '2026-03-29T10:00:00.000Z', granularity: 'day' })
  })

  it('come out the same whatever the server’s own time zone', () => {
    const now = new Date('2026-03-02T08:00:00Z')
    const utc = resolvePeriod({ period: 'custom', from: '2026-02-27', to: '2026-03-02' }, 'Asia/Tokyo', now)
    for (const tz of ['Asia/Tokyo', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
      process.env.TZ = tz
      expect(resolvePeriod({ period: 'custom', from: '2026-02-27', to: '2026-03-02' }, 'Asia/Tokyo', now), tz).toEqual(utc)
      expect(resolvePeriod({ period: '30d' }, 'Asia/Tokyo', now).days, tz).toHaveLength(30)
    }
    expect(utc.days).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'])
  })

  it('refuse a custom period without both days, backwards, in the future or too long', () => {
    const now = new Date('2026-03-02T08:00:00Z')
    expect(() => resolvePeriod({ period: 'custom', from: '2026-03-01' }, 'UTC', now)).toThrow('needs a first and a last day')
    expect(() => resolvePeriod({ period: 'custom', from: '2026-03-02', to: '2026-03-01' }, 'UTC', now)).toThrow('comes after')
    expect(() => resolvePeriod({ period: 'custom', from: '2026-04-01', to: '2026-04-02' }, 'UTC', now)).toThrow('future')
    expect(() => resolvePeriod({ period: 'custom', from: '2024-01-01', to: '2026-03-01' }, 'UTC', now)).toThrow('at most 400 days')
    expect(() => resolvePeriod({ period: '7d', from: '2026-03-01' }, 'UTC', now)).toThrow('go with period=custom')
  })
})
