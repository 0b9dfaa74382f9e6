/** Emoji whose mood is plain in customer care, in any language. 😂 and 🙄 are left out: as often joking as not. */
const positive = [
  '😀',
  '😃',
  '😄',
  '😁',
  '😊',
  '🙂',
  '😍',
  '🥰',
  '😘',
  '🤩',
  '😇',
  '☺',
  '👍',
  '👏',
  '🙌',
  '🙏',
  '❤',
  '♥',
  '💕',
  '💖',
  '💯',
  '🎉',
  '🥳',
  '👌',
  '✨',
]
const negative = ['😞', '😟', '😠', '😡', '🤬', '👎', '😤', '💢', '😢', '😭', '😒', '😩', '😫', '😖', '😣', '😔', '💔', '🤦', '😓', '😰']

export const emojiScores: ReadonlyMap<string, number> = new Map([...positive.map((e) => [e, 2] as const), ...negative.map((e) => [e, -2] as const)])
