/** The items of a comma-separated box ("en, es,  zh"): trimmed, without blanks or repeats. */
export function parseCommaList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ]
}

/** The lines of a textarea, one item per line: trimmed, without blanks or repeats. */
export function parseLines(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ]
}

/** The contract's language code: an IETF tag's language part. */
const languagePattern = /^[a-z]{2,3}$/

/** Language codes from a comma-separated box, lower-cased; the codes that are not one, to point out. */
export function parseLanguages(text: string): { languages: string[]; invalid: string[] } {
  const languages = parseCommaList(text.toLowerCase())
  return { languages, invalid: languages.filter((code) => !languagePattern.test(code)) }
}

export const invalidLanguagesMessage = (invalid: readonly string[]) =>
  `Not a language code: ${invalid.join(', ')}. Use two or three letters, like en, es or zh.`
