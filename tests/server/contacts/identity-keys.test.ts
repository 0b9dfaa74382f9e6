import { describe, expect, it } from 'vitest'
import { normaliseEmail, normalisePhone, normaliseRecordUrl } from '../../../server/src/contacts/identity-keys.js'

describe('normalisePhone', () => {
  it.each([
    ['+44 20 7946 0958', undefined, '+442079460958'],
    ['(020) 7946 0958', 'GB', '+442079460958'],
    ['+1 (415) 555-2671', undefined, '+14155552671'],
    ['+442079460958', 'US', '+442079460958'],
  ])('writes %s (region %s) as %s', (input, region, e164) => {
    expect(normalisePhone(input, region)).toBe(e164)
  })

  it.each([['(020) 7946 0958'], ['12'], ['+44 20'], ['call me']])('refuses %s', (input) => {
    expect(() => normalisePhone(input)).toThrow(/is not a valid phone number/)
  })
})

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Ana.Silva@Example.COM ')).toBe('ana.silva@example.com')
  })

  it.each([['ana'], ['ana@example'], ['an a@example.com'], ['@example.com']])('refuses %s', (input) => {
    expect(() => normaliseEmail(input)).toThrow(/is not a valid email address/)
  })
})

describe('normaliseRecordUrl', () => {
  it('accepts http and https', () => {
    expect(normaliseRecordUrl('https://crm.example.com/c/1')).toBe('https://crm.example.com/c/1')
  })

  it.each([['javascript:alert(1)'], ['data:text/html,hi'], ['/relative'], ['ftp://example.com/x']])('refuses %s', (input) => {
    expect(() => normaliseRecordUrl(input)).toThrow(/url must be/)
  })
})
