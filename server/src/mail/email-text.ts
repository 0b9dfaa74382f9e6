/** An email as Carebox writes it: one plain-text body and the same words as simple HTML. */
export interface Email {
  to: string
  subject: string
  text: string
  html: string
}

/** Text for HTML: customer and agent words are untrusted, and are only ever text in our emails. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
}

/** For a subject or a one-line mention: no line breaks or control characters from a name can shape the email. */
export function oneLine(value: string, max = 80): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  const flat = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** A date and time every reader reads the same way, wherever they are. */
export function utcText(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export type Block =
  { kind: 'paragraph'; text: string } | { kind: 'quote'; text: string } | { kind: 'link'; label: string; url: string } | { kind: 'small'; text: string }

/** Builds both bodies from the same blocks, so the HTML can never say more (or other) than the text. */
export function renderEmail(to: string, subject: string, blocks: readonly Block[]): Email {
  const text = blocks
    .map((block) => {
      if (block.kind === 'quote') return block.text.replace(/^/gm, '> ')
      if (block.kind === 'link') return `${block.label}: ${block.url}`
      return block.text
    })
    .join('\n\n')
  const html = blocks
    .map((block) => {
      if (block.kind === 'quote') {
        return `<blockquote style="margin:0;padding:4px 12px;border-left:3px solid #c5cbd3;white-space:pre-wrap">${escapeHtml(block.text)}</blockquote>`
      }
      if (block.kind === 'link') {
        return `<p><a href="${escapeHtml(block.url)}" style="color:#1d4ed8">${escapeHtml(block.label)}</a><br><span style="color:#52606d;font-size:13px">${escapeHtml(block.url)}</span></p>`
      }
      if (block.kind === 'small') return `<p style="color:#52606d;font-size:13px">${escapeHtml(block.text)}</p>`
      return `<p>${escapeHtml(block.text)}</p>`
    })
    .join('\n')
  return {
    to,
    subject: oneLine(subject, 150),
    text: `${text}\n`,
    html: `<!doctype html>\n<html><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1f2933;max-width:600px">\n${html}\n</body></html>\n`,
  }
}
