import { describe, expect, it } from 'vitest'
import { detectLanguage } from '../../../server/src/routing/language.js'
import { sentimentOf } from '../../../server/src/sentiment/sentiment.js'
import { loadLabelledMessages, scoreMessages } from '../../bench/sentiment.bench.js'

/** As ingest reads a message: its detected language (null for short texts), then the model. */
const read = (text: string) => sentimentOf(text, detectLanguage(text))

describe('sentimentOf', () => {
  it('reads the issue’s examples: thanks after a refund or a late parcel is not a complaint', () => {
    expect(read('Вижу возврат, теперь всё в порядке')).toBe('positive')
    expect(read('Balík dnes ráno konečně dorazil, díky')).toBe('positive')
    expect(read('Just wanted to say your support team was amazing. Thank you!')).toBe('positive')
    expect(read('The refund showed up on my card today. Thanks.')).toBe('positive')
  })

  it('reads negation in each language', () => {
    expect(read('The app is not working at all')).toBe('negative')
    expect(read('La aplicación no funciona desde ayer')).toBe('negative')
    expect(read('Aplikace od včera nefunguje')).toBe('negative')
    expect(read('Приложение не работает со вчерашнего дня')).toBe('negative')
    expect(sentimentOf('这个不好', 'zh')).toBe('negative')
    expect(sentimentOf('良くないです', 'ja')).toBe('negative')
    // A denied problem is no complaint.
    expect(read('No problem at all, thanks for checking')).toBe('positive')
    expect(sentimentOf('問題ありません', 'ja')).toBe('positive')
  })

  it('gives the part after a contrast the last word', () => {
    expect(read('It was broken at first, but now it works perfectly. Thanks!')).toBe('positive')
    expect(read('Thanks for the reply, but it still does not work')).toBe('negative')
  })

  it('keeps questions without a mood neutral', () => {
    expect(read('How long does a refund usually take?')).toBe('neutral')
    expect(read('¿Cómo cancelo mi suscripción?')).toBe('neutral')
    expect(sentimentOf('ok', null)).toBe('neutral')
  })

  it('says unknown for nothing to read: empty, digits, emoji it does not know, a language it has no lexicon for', () => {
    expect(sentimentOf('', null)).toBe('unknown')
    expect(sentimentOf('   ', 'en')).toBe('unknown')
    expect(sentimentOf('48213', null)).toBe('unknown')
    expect(sentimentOf('🤷', null)).toBe('unknown')
    expect(sentimentOf('Danke, alles gut angekommen', 'de')).toBe('unknown')
    // An emoji it knows is a reading on its own.
    expect(sentimentOf('👍', null)).toBe('positive')
    expect(sentimentOf('😡😡', null)).toBe('negative')
  })

  it('reads a text in no detected language by its script', () => {
    expect(sentimentOf('díky moc!', null)).toBe('positive')
    expect(sentimentOf('谢谢！', null)).toBe('positive')
    expect(sentimentOf('最悪', null)).toBe('negative')
  })
})

describe('the labelled set', () => {
  it('has at least 40 messages in each of the six languages, each with its labels', async () => {
    const messages = await loadLabelledMessages()

    const perLanguage = new Map<string, number>()
    for (const m of messages) perLanguage.set(m.language, (perLanguage.get(m.language) ?? 0) + 1)
    expect([...perLanguage.keys()].sort()).toEqual(['cs', 'en', 'es', 'ja', 'ru', 'zh'])
    for (const [language, count] of perLanguage) expect(count, language).toBeGreaterThanOrEqual(40)
    expect(messages.length).toBeGreaterThanOrEqual(300)
    for (const m of messages) {
      expect(['negative', 'neutral', 'positive']).toContain(m.sentiment)
      expect(typeof m.complaint).toBe('boolean')
      expect(typeof m.praise).toBe('boolean')
    }
  })

  it('keeps a quality floor: most negatives found, and no praise made urgent by the demo’s complaint rule', async () => {
    const scored = scoreMessages(await loadLabelledMessages())

    const negatives = scored.filter((m) => m.sentiment === 'negative')
    const found = negatives.filter((m) => m.predicted === 'negative')
    expect(found.length / negatives.length).toBeGreaterThanOrEqual(0.8)
    const flagged = scored.filter((m) => m.predicted === 'negative')
    expect(flagged.filter((m) => m.sentiment === 'negative').length / flagged.length).toBeGreaterThanOrEqual(0.8)
    const praise = scored.filter((m) => m.praise)
    expect(praise.filter((m) => m.urgentAfter)).toEqual([])
    // What the words alone did: the reason for the sentiment condition.
    expect(praise.filter((m) => m.urgentBefore).length).toBeGreaterThan(0)
  })
})
