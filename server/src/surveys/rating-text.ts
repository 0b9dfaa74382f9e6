/**
 * A 1–5 rating typed by the customer instead of tapped: "4", "4/5", "5 stars", "⭐⭐⭐⭐", or one word in a language
 * Carebox supports ("great", "genial", "很好", "отлично", "skvělé", "最高"). Anything longer or vaguer is not a
 * rating: it is kept as text (the survey's comment, or a new message), never guessed into a number.
 */
export function ratingFromText(text: string): number | null {
  const trimmed = text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[.!。！]+$/u, '')
  if (trimmed === '' || trimmed.length > 24) return null
  const digits = /^([1-5])(?:\s*(?:\/\s*5|of 5|out of 5|stars?|⭐+|★+|звезд[аы]?|hvězd[ay]?|estrellas?|星))?$/u.exec(trimmed)
  if (digits) return Number(digits[1])
  const stars = /^(?:⭐️?|★){1,5}$/u.exec(trimmed)
  if (stars) return Array.from(trimmed.replace(/\ufe0f/g, '')).length
  return wordRatings.get(trimmed) ?? null
}

/** Single words (or set phrases) that answer "how did we do?" on their own, per language, at 1–5. */
const wordRatings = new Map<string, number>([
  // English
  ['terrible', 1],
  ['awful', 1],
  ['horrible', 1],
  ['very bad', 1],
  ['bad', 2],
  ['poor', 2],
  ['ok', 3],
  ['okay', 3],
  ['fine', 3],
  ['good', 4],
  ['very good', 5],
  ['great', 5],
  ['excellent', 5],
  ['amazing', 5],
  ['perfect', 5],
  // Spanish
  ['pésimo', 1],
  ['horrible', 1],
  ['malo', 2],
  ['regular', 3],
  ['bien', 4],
  ['bueno', 4],
  ['muy bien', 5],
  ['muy bueno', 5],
  ['excelente', 5],
  ['genial', 5],
  ['perfecto', 5],
  // Chinese
  ['很差', 1],
  ['差', 2],
  ['一般', 3],
  ['好', 4],
  ['不错', 4],
  ['很好', 5],
  ['非常好', 5],
  ['满意', 5],
  // Russian
  ['ужасно', 1],
  ['плохо', 2],
  ['нормально', 3],
  ['хорошо', 4],
  ['отлично', 5],
  ['прекрасно', 5],
  // Czech
  ['hrozné', 1],
  ['špatné', 2],
  ['špatně', 2],
  ['ujde', 3],
  ['dobré', 4],
  ['dobře', 4],
  ['výborné', 5],
  ['výborně', 5],
  ['skvělé', 5],
  ['skvěle', 5],
  // Japanese
  ['最悪', 1],
  ['悪い', 2],
  ['普通', 3],
  ['良い', 4],
  ['よい', 4],
  ['とても良い', 5],
  ['最高', 5],
])
