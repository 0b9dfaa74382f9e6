import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDateTime } from './common.js'
import { defineRoute } from './contract.js'
import { ReportPeriodInfo, ReportQuery } from './reports.js'

/**
 * Satisfaction surveys: after a resolve, Carebox asks the customer on their own channel for a 1–5 rating (with the
 * platform's buttons where it has them), in their language, at most once per resolution cycle.
 */
export const surveyLanguages = ['en', 'es', 'zh', 'ru', 'cs', 'ja'] as const
export type SurveyLanguage = (typeof surveyLanguages)[number]

/** The words of a survey in one language. The options' titles are at most 20 characters (Messenger's limit). */
export const SurveyTexts = Type.Object(
  {
    question: Type.String({ minLength: 1, maxLength: 1000 }),
    /** The button that opens WhatsApp's list of answers (at most 20 characters). */
    button: Type.String({ minLength: 1, maxLength: 20 }),
    /** Titles of the answers 1 to 5. */
    options: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 5, maxItems: 5 }),
    /** Asked once after a rating, when "ask why" is on. */
    why: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
)
export type SurveyTexts = Static<typeof SurveyTexts>

export const defaultSurveyTexts: Record<SurveyLanguage, SurveyTexts> = {
  en: {
    question: 'How did we do? Tap a number from 1 (poor) to 5 (great), or reply with one.',
    button: 'Rate us',
    options: ['1 · Poor', '2 · Not good', '3 · OK', '4 · Good', '5 · Great'],
    why: 'Thank you! What is the main reason for your rating?',
  },
  es: {
    question: '¿Qué tal lo hicimos? Elige un número del 1 (mal) al 5 (genial), o respóndenos con uno.',
    button: 'Valorar',
    options: ['1 · Mal', '2 · Regular', '3 · Bien', '4 · Muy bien', '5 · Genial'],
    why: '¡Gracias! ¿Cuál es el motivo principal de tu valoración?',
  },
  zh: {
    question: '我们的服务怎么样？请选择 1（很差）到 5（很好），或直接回复数字。',
    button: '评分',
    options: ['1 · 很差', '2 · 较差', '3 · 一般', '4 · 好', '5 · 很好'],
    why: '谢谢！您给出这个评分的主要原因是什么？',
  },
  ru: {
    question: 'Как мы справились? Выберите число от 1 (плохо) до 5 (отлично) или ответьте цифрой.',
    button: 'Оценить',
    options: ['1 · Плохо', '2 · Так себе', '3 · Нормально', '4 · Хорошо', '5 · Отлично'],
    why: 'Спасибо! Что главным образом повлияло на вашу оценку?',
  },
  cs: {
    question: 'Jak jsme si vedli? Vyberte číslo od 1 (špatně) do 5 (skvěle), nebo odpovězte číslem.',
    button: 'Ohodnotit',
    options: ['1 · Špatně', '2 · Nic moc', '3 · Ujde', '4 · Dobře', '5 · Skvěle'],
    why: 'Děkujeme! Co nejvíc ovlivnilo vaše hodnocení?',
  },
  ja: {
    question: '対応はいかがでしたか？1（悪い）から5（とても良い）の数字を選ぶか、数字で返信してください。',
    button: '評価する',
    options: ['1 · 悪い', '2 · やや悪い', '3 · 普通', '4 · 良い', '5 · とても良い'],
    why: 'ありがとうございます！評価の一番の理由を教えてください。',
  },
}

export const SurveySettings = Type.Object(
  {
    enabled: Type.Boolean(),
    /** Minutes after the resolve; a reopen before then cancels it. */
    delayMinutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 }),
    /** Agents see ratings on their conversations; leads and admins always do. */
    agentsSeeRatings: Type.Boolean(),
    /** After a rating, ask once why; the next message is kept as the rating's comment. */
    askWhy: Type.Boolean(),
    /**
     * A customer's short thanks or praise after a resolve (positive, no question) stays in the thread without
     * reopening the conversation or getting an automatic reply. Off: every message reopens, as before.
     */
    keepThanksResolved: Type.Boolean(),
    /**
     * Public threads (comments, Mastodon, Bluesky) get a reply with a link to a survey page Carebox serves (no
     * sign-in, one use, expires after 7 days). Off: they get no survey.
     */
    publicLink: Type.Boolean(),
    /** A lead's own words per language (the defaults where absent). */
    texts: Type.Object(
      {
        en: Type.Optional(SurveyTexts),
        es: Type.Optional(SurveyTexts),
        zh: Type.Optional(SurveyTexts),
        ru: Type.Optional(SurveyTexts),
        cs: Type.Optional(SurveyTexts),
        ja: Type.Optional(SurveyTexts),
      },
      { additionalProperties: false },
    ),
    /** Channels of the team where no survey is sent. */
    disabledChannelIds: Type.Array(Id, { maxItems: 200 }),
  },
  { additionalProperties: false },
)
export type SurveySettings = Static<typeof SurveySettings>

export const defaultSurveySettings: SurveySettings = {
  enabled: true,
  delayMinutes: 5,
  agentsSeeRatings: true,
  askWhy: true,
  keepThanksResolved: true,
  publicLink: false,
  texts: {},
  disabledChannelIds: [],
}

export const surveyStatuses = ['scheduled', 'offered', 'not_offered', 'answered'] as const

/** One survey of a conversation: offered (or why not), and its answer. */
export const Survey = Type.Object({
  id: Id,
  status: Type.Union(surveyStatuses.map((s) => Type.Literal(s))),
  /** Why it was not offered (the window had closed, a public thread, the team turned surveys off…). */
  reason: Type.Union([Type.String(), Type.Null()]),
  /** Hidden (null) from agents when the team keeps ratings to leads. */
  rating: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
  dueAt: IsoDateTime,
  offeredAt: Type.Union([IsoDateTime, Type.Null()]),
  answeredAt: Type.Union([IsoDateTime, Type.Null()]),
})
export type Survey = Static<typeof Survey>

const Score = Type.Union([Type.Number(), Type.Null()])

/** Satisfaction over a group of surveys (metrics.md): score = ratings of 4 or 5 ÷ ratings; response rate = ratings ÷ offered. */
export const SatisfactionFigures = Type.Object({
  offered: Type.Integer(),
  answered: Type.Integer(),
  satisfied: Type.Integer(),
  /** satisfied ÷ answered × 100; null with no answer. */
  score: Score,
  /** answered ÷ offered; null with none offered. */
  responseRate: Score,
  /** Ratings 1 to 5: how many of each. */
  distribution: Type.Array(Type.Integer(), { minItems: 5, maxItems: 5 }),
})
export type SatisfactionFigures = Static<typeof SatisfactionFigures>

export const SatisfactionGroup = Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String(), figures: SatisfactionFigures })

export const SatisfactionReport = Type.Object({
  period: ReportPeriodInfo,
  totals: SatisfactionFigures,
  /** Why surveys were not offered, with how many (the window had closed, a public thread…). */
  notOffered: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
  /** By local day of the offer. */
  trend: Type.Array(Type.Object({ at: Type.String(), answered: Type.Integer(), satisfied: Type.Integer(), score: Score })),
  /** By the agent the customer talked to (the last person to reply before the resolve); null: no person replied. */
  byAgent: Type.Array(SatisfactionGroup),
  byChannel: Type.Array(SatisfactionGroup),
  byTag: Type.Array(SatisfactionGroup),
  /** The latest answers with a comment or a low rating, newest first, each with its conversation. */
  comments: Type.Array(
    Type.Object({
      conversationId: Id,
      rating: Type.Integer(),
      comment: Type.Union([Type.String(), Type.Null()]),
      answeredAt: IsoDateTime,
      customer: Type.Union([Type.String(), Type.Null()]),
      channel: Type.String(),
      agent: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
})
export type SatisfactionReport = Static<typeof SatisfactionReport>

/** The public survey page's form: the rating, and an optional comment. */
export const SurveyPageAnswer = Type.Object(
  { rating: Type.String({ pattern: '^[1-5]$' }), comment: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
)

/** Where a public thread's survey link points: `${publicUrl}/survey/${linkToken}`. */
export function surveyPagePath(linkToken: string): string {
  return `/survey/${encodeURIComponent(linkToken)}`
}

export const surveysApi = {
  page: defineRoute({
    method: 'GET',
    url: '/survey/:token',
    summary: "The survey page a public thread's customer opens from the link: no sign-in; the link is used once and expires",
    tags: ['surveys'],
    access: { role: 'public' },
    schema: { params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }), response: { 200: Type.String({ description: 'text/html' }) } },
  }),
  answerPage: defineRoute({
    method: 'POST',
    url: '/survey/:token',
    summary: 'The survey page form (application/x-www-form-urlencoded): records the rating once',
    tags: ['surveys'],
    access: { role: 'public' },
    schema: {
      params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }),
      body: SurveyPageAnswer,
      response: { 200: Type.String({ description: 'text/html' }) },
    },
  }),
  report: defineRoute({
    method: 'GET',
    url: '/api/reports/satisfaction',
    summary: 'Satisfaction: score, response rate, distribution, trend by day, per agent, channel and tag, and the latest comments',
    tags: ['reports'],
    access: { role: 'lead', scope: 'reports:read' },
    schema: { querystring: ReportQuery, response: { 200: SatisfactionReport } },
  }),
  settings: defineRoute({
    method: 'GET',
    url: '/api/teams/:id/survey-settings',
    summary: "A team's satisfaction survey settings, with the default words per language",
    tags: ['surveys'],
    access: { role: 'lead' },
    schema: {
      params: Type.Object({ id: Id }),
      response: { 200: Type.Object({ settings: SurveySettings, defaults: Type.Record(Type.String(), SurveyTexts) }) },
    },
  }),
  updateSettings: defineRoute({
    method: 'PUT',
    url: '/api/teams/:id/survey-settings',
    summary: "Change a team's satisfaction surveys: on or off, delay, words per language, who sees ratings, channels left out",
    tags: ['surveys'],
    access: { role: 'lead' },
    schema: { params: Type.Object({ id: Id }), body: SurveySettings, response: { 200: SurveySettings } },
  }),
  ofConversation: defineRoute({
    method: 'GET',
    url: '/api/conversations/:id/surveys',
    summary: "A conversation's satisfaction surveys, newest first",
    tags: ['surveys'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: { params: Type.Object({ id: Id }), response: { 200: Type.Object({ items: Type.Array(Survey) }) } },
  }),
}

/** The option id a survey's button carries: `csat:<token>:<rating>` (outreach.md §2.7), at most 64 bytes. */
export function surveyChoiceId(token: string, rating: number): string {
  return `csat:${token}:${rating}`
}

export function parseSurveyChoice(choice: string): { token: string; rating: number } | null {
  const match = /^csat:([A-Za-z0-9_-]{1,12}):([1-5])$/.exec(choice)
  return match ? { token: match[1] as string, rating: Number(match[2]) } : null
}
