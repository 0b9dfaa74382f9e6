import { defaultSurveyTexts, SurveySettings, SurveyTexts, surveyLanguages, type SurveyLanguage } from '@carebox/shared'

export const surveyLanguageNames: Record<SurveyLanguage, string> = {
  en: 'English',
  es: 'Spanish',
  zh: 'Chinese',
  ru: 'Russian',
  cs: 'Czech',
  ja: 'Japanese',
}

/** The limits the server checks, read from the shared schema so the form and the API never disagree. */
export const surveyLimits = {
  maxDelayMinutes: SurveySettings.properties.delayMinutes.maximum ?? 10_080,
  maxQuestionLength: SurveyTexts.properties.question.maxLength ?? 1000,
  maxButtonLength: SurveyTexts.properties.button.maxLength ?? 20,
  maxOptionLength: SurveyTexts.properties.options.items.maxLength ?? 20,
  maxWhyLength: SurveyTexts.properties.why.maxLength ?? 1000,
}

export type SurveyTextsByLanguage = Record<SurveyLanguage, SurveyTexts>

export interface SurveyFields {
  enabled: boolean
  delayMinutes: string
  agentsSeeRatings: boolean
  askWhy: boolean
  keepThanksResolved: boolean
  publicLink: boolean
  disabledChannelIds: string[]
  /** Every language's words as the customer would get them: the team's own, or else the defaults. */
  texts: SurveyTextsByLanguage
}

/** The default words per language: the server's (the GET's `defaults`), else the ones this console was built with. */
export function defaultTextsOf(defaults: Record<string, SurveyTexts>): SurveyTextsByLanguage {
  return Object.fromEntries(surveyLanguages.map((language) => [language, defaults[language] ?? defaultSurveyTexts[language]])) as SurveyTextsByLanguage
}

export function fieldsOf(settings: SurveySettings, defaults: SurveyTextsByLanguage): SurveyFields {
  return {
    enabled: settings.enabled,
    delayMinutes: String(settings.delayMinutes),
    agentsSeeRatings: settings.agentsSeeRatings,
    askWhy: settings.askWhy,
    keepThanksResolved: settings.keepThanksResolved,
    publicLink: settings.publicLink,
    disabledChannelIds: [...settings.disabledChannelIds],
    texts: Object.fromEntries(surveyLanguages.map((language) => [language, settings.texts[language] ?? defaults[language]])) as SurveyTextsByLanguage,
  }
}

export function isSameTexts(a: SurveyTexts, b: SurveyTexts): boolean {
  return a.question === b.question && a.button === b.button && a.why === b.why && a.options.every((option, i) => option === b.options[i])
}

/** Characters as the server counts them (code points), so an emoji counts once. */
function lengthOf(text: string): number {
  return [...text].length
}

function trimmed(texts: SurveyTexts): SurveyTexts {
  return { question: texts.question.trim(), button: texts.button.trim(), options: texts.options.map((o) => o.trim()), why: texts.why.trim() }
}

/** The first thing wrong with one language's words, in words for the form; null when they will do. */
function textsError(language: SurveyLanguage, texts: SurveyTexts): string | null {
  const name = surveyLanguageNames[language]
  const { maxQuestionLength, maxButtonLength, maxOptionLength, maxWhyLength } = surveyLimits
  if (texts.question === '') return `${name}: write the question.`
  if (lengthOf(texts.question) > maxQuestionLength) return `${name}: the question is longer than ${maxQuestionLength} characters.`
  if (texts.button === '') return `${name}: write the button label.`
  if (lengthOf(texts.button) > maxButtonLength) return `${name}: the button label is longer than ${maxButtonLength} characters.`
  const emptyOption = texts.options.findIndex((option) => option === '')
  if (emptyOption >= 0) return `${name}: write answer ${emptyOption + 1}.`
  const longOption = texts.options.findIndex((option) => lengthOf(option) > maxOptionLength)
  if (longOption >= 0) return `${name}: answer ${longOption + 1} is longer than ${maxOptionLength} characters.`
  if (texts.why === '') return `${name}: write the “why” question.`
  if (lengthOf(texts.why) > maxWhyLength) return `${name}: the “why” question is longer than ${maxWhyLength} characters.`
  return null
}

/**
 * The settings the fields make, or the first thing wrong with them. Only the languages whose words differ from the
 * defaults are sent: the others keep following the defaults. Channels no longer the team's are dropped (the server
 * refuses them).
 */
export function draftOf(fields: SurveyFields, defaults: SurveyTextsByLanguage, teamChannelIds: readonly string[] | null): SurveySettings | { error: string } {
  const delay = fields.delayMinutes.trim() === '' ? Number.NaN : Number(fields.delayMinutes)
  if (!Number.isInteger(delay) || delay < 0 || delay > surveyLimits.maxDelayMinutes) {
    return { error: `The delay must be a whole number of minutes from 0 to ${surveyLimits.maxDelayMinutes} (7 days).` }
  }
  const texts: SurveySettings['texts'] = {}
  for (const language of surveyLanguages) {
    const own = trimmed(fields.texts[language])
    const error = textsError(language, own)
    if (error) return { error }
    if (!isSameTexts(own, defaults[language])) texts[language] = own
  }
  return {
    enabled: fields.enabled,
    delayMinutes: delay,
    agentsSeeRatings: fields.agentsSeeRatings,
    askWhy: fields.askWhy,
    keepThanksResolved: fields.keepThanksResolved,
    publicLink: fields.publicLink,
    texts,
    disabledChannelIds: teamChannelIds ? fields.disabledChannelIds.filter((id) => teamChannelIds.includes(id)) : fields.disabledChannelIds,
  }
}
