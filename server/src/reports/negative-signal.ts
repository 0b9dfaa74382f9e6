/**
 * Whether a customer's message carries a negative signal: a complaint, anger, something broken or missing. A word
 * list, not a model: cheap enough to run on every message of a rebuild, and what it matches is easy to explain. It
 * feeds surges (a jump in the share of such messages), never a figure shown as a fact about one customer.
 */
const phrases = [
  // English
  'refund',
  'broken',
  'damaged',
  'not working',
  "doesn't work",
  'does not work',
  'never arrived',
  'still waiting',
  'worst',
  'terrible',
  'awful',
  'disappointed',
  'unacceptable',
  'complaint',
  'angry',
  'scam',
  'cancel my',
  'charged twice',
  'crash',
  'useless',
  'rude',
  'late again',
  'missing',
  'wrong item',
  'cannot log in',
  "can't log in",
  // Czech
  'reklamac',
  'rozbit',
  'nefunguj',
  'vrátit peníze',
  'vraťte',
  'stížnost',
  'nejhorší',
  'zklam',
  'pořád čekám',
  'nedorazil',
  // Spanish, Portuguese
  'reembolso',
  'roto',
  'no funciona',
  'queja',
  'estafa',
  'pésimo',
  'não funciona',
  'reclamação',
  // German, French
  'kaputt',
  'funktioniert nicht',
  'beschwerde',
  'erstattung',
  'remboursement',
  'cassé',
  'ne marche pas',
  'plainte',
  'arnaque',
  // Russian, Japanese, Chinese
  'возврат',
  'сломан',
  'не работает',
  'жалоба',
  '返金',
  '壊れ',
  '届きません',
  '最悪',
  '退款',
  '坏了',
  '投诉',
  '太差',
]
const emoji = /[\u{1F620}\u{1F621}\u{1F92C}\u{1F44E}\u{1F624}\u{1F4A2}]/u

export function isNegative(text: string): boolean {
  const lower = text.toLowerCase()
  return emoji.test(text) || phrases.some((phrase) => lower.includes(phrase))
}
