import { sentimentOf } from '../sentiment/sentiment.js'

/**
 * The negative signal surges watch (docs/metrics.md, "Negative share"): customer messages whose effective sentiment
 * is negative (a person's label, else the model's) ÷ those with a label other than unknown. It replaced a word list,
 * which read "the refund arrived, thanks!" as a complaint.
 */
export function negativeShare(counts: { inbound: number; negative: number; labelled?: number }): number {
  // Hours counted before labels were kept (rollups from an older version) have no labelled count: all messages then.
  const labelled = counts.labelled ?? counts.inbound
  return labelled > 0 ? counts.negative / labelled : 0
}

/** A text alone, with no stored label or detected language: what the model reads in it, by its script. */
export function isNegative(text: string): boolean {
  return sentimentOf(text, null) === 'negative'
}
