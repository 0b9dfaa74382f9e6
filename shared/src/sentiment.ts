import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'

/**
 * The sentiment of a customer's message (docs/metrics.md, "Customer satisfaction and sentiment"): what Carebox's
 * offline model read in it, unless a person set it, whose label then wins in every figure. `unknown`: nothing to
 * read (empty, emoji without a known one, a language the model has no lexicon for); it counts in no share.
 */
export const sentimentLabels = ['negative', 'neutral', 'positive', 'unknown'] as const
export const SentimentLabel = StringEnum(sentimentLabels)
export type SentimentLabel = Static<typeof SentimentLabel>

/** What a person may set: a reading, never "unknown". */
export const personSentimentLabels = ['negative', 'neutral', 'positive'] as const
export const PersonSentimentLabel = StringEnum(personSentimentLabels)
export type PersonSentimentLabel = Static<typeof PersonSentimentLabel>

export const sentimentLabelNames: Record<SentimentLabel, string> = {
  negative: 'Negative',
  neutral: 'Neutral',
  positive: 'Positive',
  unknown: 'No sentiment',
}

/** A customer's message's effective label, and whether the model or a person gave it. */
export const MessageSentiment = Type.Object({
  label: SentimentLabel,
  by: StringEnum(['model', 'person'] as const),
})
export type MessageSentiment = Static<typeof MessageSentiment>

export const SentimentChange = Type.Object({
  messageId: Id,
  conversationId: Id,
  sentiment: MessageSentiment,
  /** When a person set it; null when the model's label stands again. */
  setAt: Type.Union([IsoDateTime, Type.Null()]),
})
export type SentimentChange = Static<typeof SentimentChange>

export const sentimentApi = {
  set: defineRoute({
    method: 'POST',
    url: '/api/messages/:id/sentiment',
    summary: "Reclassify a customer's message (negative, neutral or positive; null gives the model's label back): audited, and wins in rules and reports",
    tags: ['conversations'],
    access: { role: 'agent' },
    schema: {
      params: Type.Object({ id: Id }),
      body: Type.Object({ label: Type.Union([PersonSentimentLabel, Type.Null()]) }, { additionalProperties: false }),
      response: { 200: SentimentChange },
    },
  }),
}
