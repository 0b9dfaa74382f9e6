import type { SurveyLanguage, SurveyTexts } from '@carebox/shared'
import { useId } from 'react'
import { surveyLanguageNames } from './survey-settings-fields'

/** What the customer gets, as the words stand in the form: the question with its five answers, then the "why?". */
export function SurveyPreview({ language, texts, isAskingWhy }: { language: SurveyLanguage; texts: SurveyTexts; isAskingWhy: boolean }) {
  const titleId = useId()
  return (
    <section className="survey-preview" aria-labelledby={titleId}>
      <h3 id={titleId}>What the customer sees ({surveyLanguageNames[language]})</h3>
      <div className="survey-preview-bubble">
        <p dir="auto">{texts.question}</p>
        <ul className="survey-preview-options" aria-label="Answers">
          {texts.options.map((option, index) => (
            <li key={index} className="survey-chip" dir="auto">
              {option}
            </li>
          ))}
        </ul>
      </div>
      {isAskingWhy && (
        <div className="survey-preview-bubble">
          <p dir="auto">{texts.why}</p>
        </div>
      )}
      <p className="survey-note">
        WhatsApp lists the answers behind the button “<bdi>{texts.button}</bdi>”; Telegram shows them as buttons; Messenger and Instagram as quick replies. On X
        the customer types a number. A typed answer counts anywhere (“4”, “5/5”, “⭐⭐⭐⭐”, “great”).
      </p>
    </section>
  )
}
