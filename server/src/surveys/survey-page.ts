import { defaultSurveyTexts, type SurveyLanguage } from '@carebox/shared'

/** What the page says, per language: the customer came from a public thread in theirs. */
const words: Record<SurveyLanguage, { title: string; comment: string; send: string; thanks: string; answered: string; expired: string; unknown: string }> = {
  en: {
    title: 'How did we do?',
    comment: 'Anything to add? (optional)',
    send: 'Send',
    thanks: 'Thank you for your rating!',
    answered: 'This survey has been answered already. Thank you!',
    expired: 'This survey has expired.',
    unknown: 'This survey link is not valid.',
  },
  es: {
    title: '¿Qué tal lo hicimos?',
    comment: '¿Algo que añadir? (opcional)',
    send: 'Enviar',
    thanks: '¡Gracias por tu valoración!',
    answered: 'Esta encuesta ya tiene respuesta. ¡Gracias!',
    expired: 'Esta encuesta ha caducado.',
    unknown: 'Este enlace de encuesta no es válido.',
  },
  zh: {
    title: '我们的服务怎么样？',
    comment: '还有什么想说的吗？（可选）',
    send: '提交',
    thanks: '感谢您的评分！',
    answered: '此调查已回答过，谢谢！',
    expired: '此调查已过期。',
    unknown: '此调查链接无效。',
  },
  ru: {
    title: 'Как мы справились?',
    comment: 'Хотите что-то добавить? (необязательно)',
    send: 'Отправить',
    thanks: 'Спасибо за оценку!',
    answered: 'На этот опрос уже ответили. Спасибо!',
    expired: 'Срок этого опроса истёк.',
    unknown: 'Ссылка на опрос недействительна.',
  },
  cs: {
    title: 'Jak jsme si vedli?',
    comment: 'Chcete něco dodat? (nepovinné)',
    send: 'Odeslat',
    thanks: 'Děkujeme za hodnocení!',
    answered: 'Tento dotazník už byl vyplněn. Děkujeme!',
    expired: 'Platnost dotazníku vypršela.',
    unknown: 'Odkaz na dotazník není platný.',
  },
  ja: {
    title: '対応はいかがでしたか？',
    comment: 'ご意見があればどうぞ（任意）',
    send: '送信',
    thanks: '評価をありがとうございました！',
    answered: 'このアンケートは回答済みです。ありがとうございました！',
    expired: 'このアンケートは期限切れです。',
    unknown: 'このアンケートのリンクは無効です。',
  },
}

export type PageState = 'form' | 'thanks' | 'answered' | 'expired' | 'unknown'

/** Escapes text for HTML: everything on the page is ours, but the brand name comes from a lead. */
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * The survey page: five answers and an optional comment, a plain form that works without JavaScript, in the
 * customer's language. Nothing the customer wrote is ever shown on it.
 */
export function surveyPageHtml(state: PageState, language: SurveyLanguage, brand: string): string {
  const w = words[language]
  const options = defaultSurveyTexts[language].options
  const body =
    state === 'form'
      ? `<h1>${escape(w.title)}</h1>
<form method="post">
  <fieldset><legend>${escape(w.title)}</legend>
  ${options.map((title, i) => `<label><input type="radio" name="rating" value="${i + 1}" required> ${escape(title)}</label>`).join('\n  ')}
  </fieldset>
  <label for="comment">${escape(w.comment)}</label>
  <textarea id="comment" name="comment" maxlength="1000" rows="4"></textarea>
  <button type="submit">${escape(w.send)}</button>
</form>`
      : `<h1>${escape(state === 'thanks' ? w.thanks : state === 'answered' ? w.answered : state === 'expired' ? w.expired : w.unknown)}</h1>`
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(brand)}: ${escape(w.title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
fieldset{border:0;padding:0;margin:1rem 0;display:grid;gap:.5rem}legend{position:absolute;left:-9999px}
label{display:block}input[type=radio]{margin-right:.5rem}textarea{width:100%;box-sizing:border-box;margin:.25rem 0 1rem}
button{background:#2563eb;color:#fff;border:0;border-radius:6px;padding:.6rem 1.2rem;font-size:1rem}
</style></head>
<body><p>${escape(brand)}</p>
${body}
</body></html>`
}
