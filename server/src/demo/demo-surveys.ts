import { defaultSurveyTexts, parseSurveyChoice, surveyLanguages, type SurveyLanguage } from '@carebox/shared'
import type { Logger } from 'pino'
import { personaIdentity, personas, type RecordedSend, type SimAccount, type Simulator } from '../simulator/index.js'

/** How the demo's customers rate: mostly content, some not (the low ones say why). */
const ratingOdds: [rating: number, upTo: number][] = [
  [5, 0.5],
  [4, 0.72],
  [3, 0.82],
  [2, 0.91],
  [1, 1],
]
/** Some customers never answer; some just say thanks instead (kept without reopening). */
const silentShare = 0.15
const thanksShare = 0.12

const lowComments: Record<SurveyLanguage, string[]> = {
  en: ['It took three days to get a real answer.', 'Nobody told me the parcel was delayed until I asked.'],
  es: ['Tardaron tres días en darme una respuesta de verdad.', 'Nadie me avisó del retraso hasta que pregunté.'],
  zh: ['三天后才得到真正的答复。', '直到我问了才知道包裹延误了。'],
  ru: ['Настоящий ответ пришёл только через три дня.', 'О задержке посылки мне никто не сказал, пока я не спросил.'],
  cs: ['Skutečnou odpověď jsem dostal až po třech dnech.', 'Nikdo mi neřekl, že se balík zpozdí, dokud jsem se nezeptal.'],
  ja: ['ちゃんとした回答まで3日かかりました。', '聞くまで配送の遅れを誰も教えてくれませんでした。'],
}
const praiseComments: Record<SurveyLanguage, string[]> = {
  en: ['Quick and friendly, thank you.'],
  es: ['Rápidos y amables, gracias.'],
  zh: ['又快又热情，谢谢。'],
  ru: ['Быстро и вежливо, спасибо.'],
  cs: ['Rychle a ochotně, díky.'],
  ja: ['迅速で丁寧でした、ありがとう。'],
}
const thanks: Record<SurveyLanguage, string> = {
  en: 'Thanks so much, all sorted!',
  es: '¡Muchas gracias, todo resuelto!',
  zh: '非常感谢，都解决了！',
  ru: 'Большое спасибо, всё решилось!',
  cs: 'Moc děkuji, vše vyřešeno!',
  ja: 'ありがとうございました、解決しました！',
}

/** A survey Carebox sent: who to, on which account, its answers (or none: typed, on X), and in which language. */
interface SurveySeen {
  accountExternalId: string
  customerId: string
  token: string
  optionIds: string[]
  language: SurveyLanguage
}

/** Reads a send as a survey: the answer ids its controls carry, whoever it went to. */
function surveyOf(send: RecordedSend): SurveySeen | null {
  const body = (send.body ?? {}) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- platform bodies, read defensively
  const ids: string[] = [
    ...(body.interactive?.action?.sections?.flatMap((s: { rows?: { id: string }[] }) => s.rows?.map((r) => r.id) ?? []) ?? []),
    ...(body.reply_markup?.inline_keyboard?.flat().map((b: { callback_data?: string }) => b.callback_data) ?? []),
    ...(body.message?.quick_replies?.map((q: { payload?: string }) => q.payload) ?? []),
  ].filter((id): id is string => typeof id === 'string' && id.startsWith('csat:'))
  const question: string = body.interactive?.body?.text ?? body.text ?? body.message?.text ?? ''
  const language = surveyLanguages.find((l) => defaultSurveyTexts[l].question === question)
  const token = ids[0] ? parseSurveyChoice(ids[0])?.token : undefined
  const customerId = String(body.to ?? body.chat_id ?? body.recipient?.id ?? '')
  if (!token || !customerId || !language) return null
  return { accountExternalId: send.accountExternalId, customerId, token, optionIds: ids, language }
}

/**
 * The demo's customers answer the satisfaction surveys Carebox sends them: a tap on the platform's buttons, after a
 * while, with a realistic mix; a low rating is followed by the reason when Carebox asks why; a few write only a
 * thanks, and some never answer. It reads the simulator's record of sends, as a person would read their phone.
 */
export function startDemoSurveyAnswers(
  sim: Simulator,
  accounts: SimAccount[],
  log: Logger,
  options: { random?: () => number; /** Multiplies every wait (tests: 0). */ pace?: number; checkEveryMs?: number } = {},
): { stop(): void } {
  const random = options.random ?? Math.random
  const pace = options.pace ?? 1
  const known = new Set(accounts.map((a) => a.externalId))
  // Who is who, to write as them: the personas' ids on each platform.
  const nameOf = new Map<string, string>(
    accounts.flatMap((account) => personas.map((p) => [`${account.kind}:${personaIdentity(p, account.kind).id}`, p.name] as const)),
  )
  const kindOf = new Map(accounts.map((a) => [a.externalId, a.kind]))
  let cursor = sim.sends.length
  const timers = new Set<NodeJS.Timeout>()
  const later = (ms: number, act: () => Promise<unknown>) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      act().catch((error: unknown) => log.warn({ err: error }, 'demo customer could not answer a survey'))
    }, ms * pace)
    timers.add(timer)
  }
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!

  const answer = (survey: SurveySeen) => {
    const name = nameOf.get(`${kindOf.get(survey.accountExternalId)}:${survey.customerId}`)
    // Someone the demo did not write as (a tester's own message through the simulator) answers nothing.
    if (!name) return
    const from = { id: survey.customerId, name }
    const roll = random()
    if (roll < silentShare) return
    if (roll < silentShare + thanksShare) {
      later(4000 + random() * 20_000, () => sim.customerWrites(survey.accountExternalId, { from, text: thanks[survey.language] }))
      return
    }
    const dice = random()
    const rating = ratingOdds.find(([, upTo]) => dice < upTo)![0]
    const optionId = survey.optionIds.find((id) => parseSurveyChoice(id)?.rating === rating)
    later(5000 + random() * 30_000, async () => {
      if (optionId) await sim.customerChooses(survey.accountExternalId, { from, optionId })
      else await sim.customerWrites(survey.accountExternalId, { from, text: String(rating) })
      // Asked why: the unhappy ones say, and a few of the happy ones.
      if (rating <= 2 || random() < 0.3) {
        const comment = rating <= 2 ? pick(lowComments[survey.language]) : pick(praiseComments[survey.language])
        later(8000 + random() * 15_000, () => sim.customerWrites(survey.accountExternalId, { from, text: comment }))
      }
    })
  }

  const watch = setInterval(() => {
    const fresh = sim.sends.slice(cursor)
    cursor = sim.sends.length
    for (const send of fresh) {
      if (!known.has(send.accountExternalId) || send.responseStatus >= 300) continue
      const survey = surveyOf(send)
      if (survey) answer(survey)
    }
  }, options.checkEveryMs ?? 2000)
  return {
    stop() {
      clearInterval(watch)
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}
