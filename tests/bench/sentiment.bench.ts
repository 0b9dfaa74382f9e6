// The sentiment model against the labelled set in tests/fixtures/sentiment/messages.jsonl: per language and overall,
// precision and recall of "negative" and of "complaint" (what the demo's rule flags: a complaint word and, since
// sentiment, a negative label), the share of praise the rule makes urgent before and after, and the model's speed.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { SentimentLabel } from '@carebox/shared'
import { repoRoot } from '../../server/src/config.js'
import { demoRules } from '../../server/src/demo/demo-routing.js'
import { conditionsHold, type RuleSubject } from '../../server/src/rules/run-rules.js'
import { detectLanguage } from '../../server/src/routing/language.js'
import { sentimentOf } from '../../server/src/sentiment/sentiment.js'

export interface LabelledMessage {
  language: string
  text: string
  sentiment: Exclude<SentimentLabel, 'unknown'>
  complaint: boolean
  praise: boolean
}

export async function loadLabelledMessages(): Promise<LabelledMessage[]> {
  const text = await readFile(path.join(repoRoot, 'tests', 'fixtures', 'sentiment', 'messages.jsonl'), 'utf8')
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledMessage)
}

interface Scored extends LabelledMessage {
  detected: string | null
  predicted: SentimentLabel
  urgentBefore: boolean
  urgentAfter: boolean
}

const complaintRule = demoRules.find((rule) => rule.name === 'Complaint words: urgent')!
/** The rule as the demo seeded it before sentiment: these words alone. */
const wordsBefore = [
  'refund',
  'broken',
  'cancel',
  'complaint',
  '退款',
  '投诉',
  'возврат',
  'жалоб',
  'reklamac',
  'stížnost',
  '返金',
  '壊れ',
  'reembolso',
  'queja',
]

/** What the demo's complaint rule decides for one message, as it was (words alone) and as it is (words and negative). */
function isUrgent(message: { text: string; language: string | null; sentiment: SentimentLabel }, isNow: boolean): boolean {
  const subject: RuleSubject = {
    conversationId: '',
    channelId: '',
    channelKind: 'whatsapp',
    teamId: '',
    conversationKind: 'dm',
    priority: 'normal',
    tags: [],
    language: message.language,
    status: 'open',
    assigneeId: null,
    contactTags: [],
    followers: null,
    preview: message.text,
    text: message.text,
    sentiment: message.sentiment,
  }
  return conditionsHold(isNow ? complaintRule.conditions : { keywords: wordsBefore }, subject)
}

/** Scores each message as ingest does: the detected language (null for short texts), then the model. */
export function scoreMessages(messages: LabelledMessage[]): Scored[] {
  return messages.map((m) => {
    const detected = detectLanguage(m.text)
    const predicted = sentimentOf(m.text, detected)
    const input = { text: m.text, language: detected, sentiment: predicted }
    return { ...m, detected, predicted, urgentBefore: isUrgent(input, false), urgentAfter: isUrgent(input, true) }
  })
}

function precisionRecall(items: Scored[], truth: (m: Scored) => boolean, predicted: (m: Scored) => boolean) {
  const tp = items.filter((m) => truth(m) && predicted(m)).length
  const flagged = items.filter(predicted).length
  const actual = items.filter(truth).length
  return { precision: flagged > 0 ? tp / flagged : 1, recall: actual > 0 ? tp / actual : 1, flagged, actual }
}

const percent = (value: number) => `${(value * 100).toFixed(0).padStart(3)}%`
const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0)

export async function sentimentBench(): Promise<void> {
  const messages = await loadLabelledMessages()
  const scored = scoreMessages(messages)
  const languages = [...new Set(messages.map((m) => m.language))]
  const out = (line: string) => process.stdout.write(`${line}\n`)

  out(`${messages.length} labelled customer messages (tests/fixtures/sentiment/messages.jsonl)`)
  out('')
  out('Complaint: what the demo rule makes urgent, now (its words and a negative label) and before (14 words alone).')
  out('')
  out('lang    n  label ok  negative P / R   complaint P / R now (before)   praise urgent before → now  no language')
  for (const language of [...languages, 'all']) {
    const items = language === 'all' ? scored : scored.filter((m) => m.language === language)
    const accuracy = share(items.filter((m) => m.predicted === m.sentiment).length, items.length)
    const negative = precisionRecall(
      items,
      (m) => m.sentiment === 'negative',
      (m) => m.predicted === 'negative',
    )
    const complaint = precisionRecall(
      items,
      (m) => m.complaint,
      (m) => m.urgentAfter,
    )
    const complaintBefore = precisionRecall(
      items,
      (m) => m.complaint,
      (m) => m.urgentBefore,
    )
    const praise = items.filter((m) => m.praise)
    const praiseBefore = share(praise.filter((m) => m.urgentBefore).length, praise.length)
    const praiseAfter = share(praise.filter((m) => m.urgentAfter).length, praise.length)
    const undetected = items.filter((m) => m.detected === null).length
    out(
      `${language.padEnd(4)} ${String(items.length).padStart(4)}  ${percent(accuracy)}      ${percent(negative.precision)} / ${percent(negative.recall)}      ` +
        `${percent(complaint.precision)} / ${percent(complaint.recall)} (${percent(complaintBefore.precision)} / ${percent(complaintBefore.recall)})` +
        `        ${percent(praiseBefore)} → ${percent(praiseAfter)}          ${undetected}`,
    )
  }

  const misread = scored.filter((m) => m.predicted !== m.sentiment)
  out('')
  out(`Misread (${misread.length}): label → model`)
  for (const m of misread) out(`  ${m.language} ${m.sentiment} → ${m.predicted}: ${m.text}`)

  // Speed: the model alone (ingest has detected the language already), then with detection, as a whole message costs.
  const rounds = 200
  const withLanguage = scored.map((m) => [m.text, m.detected] as const)
  for (const [text, language] of withLanguage) sentimentOf(text, language)
  let started = process.hrtime.bigint()
  for (let round = 0; round < rounds; round++) for (const [text, language] of withLanguage) sentimentOf(text, language)
  const modelNs = Number(process.hrtime.bigint() - started) / (rounds * withLanguage.length)
  started = process.hrtime.bigint()
  for (let round = 0; round < rounds; round++) for (const m of messages) sentimentOf(m.text, detectLanguage(m.text))
  const bothNs = Number(process.hrtime.bigint() - started) / (rounds * messages.length)
  out('')
  out(`Model: ${Math.round(1e9 / modelNs).toLocaleString('en')} messages/s, ${(modelNs / 1000).toFixed(1)} µs per ingested message`)
  out(`Language detection and model together: ${Math.round(1e9 / bothNs).toLocaleString('en')} messages/s, ${(bothNs / 1000).toFixed(1)} µs per message`)
}
