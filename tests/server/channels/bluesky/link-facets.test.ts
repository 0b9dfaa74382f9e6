import { describe, expect, it } from 'vitest'
import { linkFacets } from '../../../../server/src/channels/bluesky/bluesky.connector.js'

describe('links in a Bluesky post', () => {
  it('marks each URL by its UTF-8 byte range, leaving trailing punctuation out', () => {
    const text = 'Ohodnoťte nás: https://care.example/survey/abc_123. Díky!'
    const [facet] = linkFacets(text).facets as { index: { byteStart: number; byteEnd: number }; features: { uri: string }[] }[]
    expect(facet!.features[0]!.uri).toBe('https://care.example/survey/abc_123')
    expect(Buffer.from(text).subarray(facet!.index.byteStart, facet!.index.byteEnd).toString()).toBe('https://care.example/survey/abc_123')
  })

  it('adds no facets to a post without links', () => {
    expect(linkFacets('Thanks, all sorted!')).toEqual({})
  })
})
