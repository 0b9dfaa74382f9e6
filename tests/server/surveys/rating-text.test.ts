import { describe, expect, it } from 'vitest'
import { ratingFromText } from '../../../server/src/surveys/rating-text.js'

describe('a rating typed instead of tapped', () => {
  it.each([
    ['4', 4],
    [' 5/5 ', 5],
    ['3 out of 5', 3],
    ['2 stars', 2],
    ['⭐⭐⭐⭐', 4],
    ['★★★', 3],
    ['５', 5],
    ['Great!', 5],
    ['excelente', 5],
    ['отлично', 5],
    ['skvělé', 5],
    ['很好', 5],
    ['最高', 5],
    ['malo', 2],
    ['ужасно', 1],
  ])('reads %j as %i', (text, rating) => {
    expect(ratingFromText(text)).toBe(rating)
  })

  it.each(['', '6', '0', '45', 'The parcel arrived, 5 days late', 'is 4 ok?', 'great, but where is my invoice', 'merveilleux'])(
    'keeps %j as text, not a rating',
    (text) => {
      expect(ratingFromText(text)).toBeNull()
    },
  )
})
