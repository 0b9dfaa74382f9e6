import { surveyLanguages, type SurveyLanguage, type SurveyTexts } from '@carebox/shared'
import { useId } from 'react'
import { isSameTexts, surveyLanguageNames, surveyLimits, type SurveyTextsByLanguage } from './survey-settings-fields'

/** A text input or area with its label; its note (if any) is read as its description. */
function TextField({
  label,
  value,
  maxLength,
  isMultiline = false,
  note,
  onChange,
}: {
  label: string
  value: string
  maxLength: number
  isMultiline?: boolean
  note?: string
  onChange: (value: string) => void
}) {
  const inputId = useId()
  const noteId = useId()
  const props = { id: inputId, value, maxLength, dir: 'auto', 'aria-describedby': note ? noteId : undefined }
  return (
    <div className="survey-field">
      <label htmlFor={inputId}>{label}</label>
      {isMultiline ? (
        <textarea {...props} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...props} onChange={(e) => onChange(e.target.value)} />
      )}
      {note && (
        <span id={noteId} className="survey-note">
          {note}
        </span>
      )}
    </div>
  )
}

/**
 * The survey's words in one language at a time (prefilled with the defaults): the question, the button that opens
 * WhatsApp's list, the five answers and the "why?", with a way back to the defaults.
 */
export function SurveyTextsEditor({
  language,
  onLanguageChange,
  texts,
  defaults,
  onChange,
}: {
  language: SurveyLanguage
  onLanguageChange: (language: SurveyLanguage) => void
  texts: SurveyTextsByLanguage
  defaults: SurveyTextsByLanguage
  onChange: (language: SurveyLanguage, texts: SurveyTexts) => void
}) {
  const languageId = useId()
  const current = texts[language]
  const name = surveyLanguageNames[language]
  const isDefault = isSameTexts(current, defaults[language])
  const setOption = (index: number, value: string) =>
    onChange(language, { ...current, options: current.options.map((option, i) => (i === index ? value : option)) })

  return (
    <fieldset className="survey-group survey-texts">
      <legend>Words the customer gets</legend>
      <div className="survey-language">
        <label htmlFor={languageId}>Language</label>
        <select id={languageId} value={language} onChange={(e) => onLanguageChange(e.target.value as SurveyLanguage)}>
          {surveyLanguages.map((l) => (
            <option key={l} value={l}>
              {surveyLanguageNames[l]}
              {isSameTexts(texts[l], defaults[l]) ? '' : ' · edited'}
            </option>
          ))}
        </select>
        <span className="survey-note">Each customer gets the survey in their conversation’s language, or in English.</span>
      </div>
      <TextField
        label={`Question (${name})`}
        value={current.question}
        maxLength={surveyLimits.maxQuestionLength}
        isMultiline
        onChange={(question) => onChange(language, { ...current, question })}
      />
      <TextField
        label={`Button label (${name})`}
        value={current.button}
        maxLength={surveyLimits.maxButtonLength}
        note={`Opens the list of answers on WhatsApp. Up to ${surveyLimits.maxButtonLength} characters.`}
        onChange={(button) => onChange(language, { ...current, button })}
      />
      <fieldset className="survey-options">
        <legend>
          Answers 1 to 5 ({name}), up to {surveyLimits.maxOptionLength} characters each
        </legend>
        {current.options.map((option, index) => (
          <TextField
            key={index}
            label={`Answer ${index + 1}`}
            value={option}
            maxLength={surveyLimits.maxOptionLength}
            onChange={(value) => setOption(index, value)}
          />
        ))}
      </fieldset>
      <TextField
        label={`“Why” question (${name})`}
        value={current.why}
        maxLength={surveyLimits.maxWhyLength}
        isMultiline
        note="Asked once after a rating, when “Ask why” is on."
        onChange={(why) => onChange(language, { ...current, why })}
      />
      <div className="survey-wide">
        <button type="button" className="link" disabled={isDefault} onClick={() => onChange(language, defaults[language])}>
          Reset {name} to the default
        </button>
      </div>
    </fieldset>
  )
}
