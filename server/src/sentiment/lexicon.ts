/**
 * How a language's lexicon is written (lexicons/*.ts) and what the model compiles it into.
 *
 * A term is a word or a phrase of words, with a score from -5 (angriest) to +5. A trailing `*` matches any
 * ending (Czech, Russian and Spanish inflect: `rozbit*` is rozbitý, rozbitá, rozbité…). A pair `[score, negated]`
 * says what the term means after a negator when that is more than its opposite: "working" is mildly good, "not
 * working" is a complaint. Scores of 0 keep a phrase from being read as its parts ("no problem", "你好").
 * Latin-script terms are written with their accents; the model compares without them, so "diky" finds "díky".
 */
export type TermScore = number | readonly [score: number, negated: number]

export interface LexiconSource {
  terms: Readonly<Record<string, TermScore>>
  /** Words that turn the next scored term (within three words, same clause) to its negated score. */
  negators: readonly string[]
  /** Words that strengthen the next scored term by half. */
  intensifiers: readonly string[]
  /** Words after which the rest of the message weighs more and what came before less ("…, but now all good"). */
  contrasts: readonly string[]
}

/**
 * Chinese and Japanese are matched as written, longest term first at each character (there are no spaces to
 * split on), so "不错" is read before "错" and "你好" before "好".
 */
export interface CharLexiconSource {
  terms: Readonly<Record<string, TermScore>>
  /** Chinese: a negator before a term (不, 没有…), reaching over up to two characters ("不太好"). */
  negatorsBefore: readonly string[]
  /** Japanese: a negation in the kana right after a term (良く|ない, 届い|ていません). */
  negationsAfter: readonly string[]
  intensifiers: readonly string[]
  contrasts: readonly string[]
}

export interface Term {
  score: number
  negated: number
}

/** Negation of a term that has no negated score of its own: its opposite, weaker ("not bad" is not "good"). */
const negationFactor = -0.75

export function toTerm(value: TermScore): Term {
  return typeof value === 'number' ? { score: value, negated: value * negationFactor } : { score: value[0], negated: value[1] }
}

/** Lower case without accents on Latin letters; Cyrillic keeps its own (й is not и), but ё is written е. */
export function foldLatin(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’`´]/g, "'")
    .normalize('NFD')
    .replace(/([a-z])\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(/ё/g, 'е')
}

export type Role = 'term' | 'negator' | 'intensifier' | 'contrast'

export interface Phrase {
  words: string[]
  role: Role
  term: Term
}

export interface WordLexicon {
  kind: 'words'
  /** Phrases (scored, or a negator, intensifier or contrast of several words) by their first word, longest first. */
  phrases: Map<string, Phrase[]>
  words: Map<string, Term>
  /** Stems by their text; `stemLengths` lists the lengths present, longest first. */
  stems: Map<string, Term>
  stemLengths: number[]
  negators: Set<string>
  intensifiers: Set<string>
  contrasts: Set<string>
}

export interface CharLexicon {
  kind: 'chars'
  /** Every term, negator, intensifier and contrast, by first character, longest first. */
  entries: Map<string, { text: string; role: Role; term: Term }[]>
  negationsAfter: string[]
}

export function compileWords(source: LexiconSource): WordLexicon {
  const lexicon: WordLexicon = {
    kind: 'words',
    phrases: new Map(),
    words: new Map(),
    stems: new Map(),
    stemLengths: [],
    negators: new Set(),
    intensifiers: new Set(),
    contrasts: new Set(),
  }
  const addPhrase = (words: string[], role: Role, term: Term) => {
    const list = lexicon.phrases.get(words[0]!) ?? []
    list.push({ words, role, term })
    lexicon.phrases.set(words[0]!, list)
  }
  const roles = { negator: source.negators, intensifier: source.intensifiers, contrast: source.contrasts }
  for (const [role, list] of Object.entries(roles) as [Exclude<Role, 'term'>, readonly string[]][]) {
    const set = role === 'negator' ? lexicon.negators : role === 'intensifier' ? lexicon.intensifiers : lexicon.contrasts
    for (const raw of list) {
      const words = foldLatin(raw).split(' ')
      if (words.length > 1) addPhrase(words, role, { score: 0, negated: 0 })
      else set.add(words[0]!)
    }
  }
  for (const [raw, value] of Object.entries(source.terms)) {
    const text = foldLatin(raw)
    const term = toTerm(value)
    const words = text.split(' ')
    if (words.length > 1) {
      addPhrase(words, 'term', term)
    } else if (text.endsWith('*')) {
      lexicon.stems.set(text.slice(0, -1), term)
    } else {
      lexicon.words.set(text, term)
    }
  }
  for (const list of lexicon.phrases.values()) list.sort((a, b) => b.words.length - a.words.length)
  lexicon.stemLengths = [...new Set([...lexicon.stems.keys()].map((stem) => stem.length))].sort((a, b) => b - a)
  return lexicon
}

export function compileChars(source: CharLexiconSource): CharLexicon {
  const entries: CharLexicon['entries'] = new Map()
  const add = (text: string, role: Role, term: Term) => {
    const normal = text.normalize('NFKC')
    const list = entries.get(normal[0]!) ?? []
    list.push({ text: normal, role, term })
    entries.set(normal[0]!, list)
  }
  const none = { score: 0, negated: 0 }
  for (const [text, value] of Object.entries(source.terms)) add(text, 'term', toTerm(value))
  for (const text of source.negatorsBefore) add(text, 'negator', none)
  for (const text of source.intensifiers) add(text, 'intensifier', none)
  for (const text of source.contrasts) add(text, 'contrast', none)
  for (const list of entries.values()) list.sort((a, b) => b.text.length - a.text.length)
  return { kind: 'chars', entries, negationsAfter: [...source.negationsAfter] }
}
