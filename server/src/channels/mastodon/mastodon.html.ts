/**
 * Mastodon status content is sanitised HTML (paragraphs, line breaks, links, mention and hashtag spans).
 * The inbox shows plain text: the same reduction Mastodon applies for its own plain-text output.
 */
const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

export function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p(?:\s[^>]*)?>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
  return decodeEntities(text).trim()
}

/** One pass, so `&amp;lt;` becomes `&lt;` and not `<`. Unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const codePoint = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity
    }
    return namedEntities[name.toLowerCase()] ?? entity
  })
}
