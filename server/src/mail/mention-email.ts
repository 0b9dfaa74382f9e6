import { oneLine, renderEmail, type Email } from './email-text.js'

/** A long note is cut in the email: the conversation is one click away. */
const maxNoteLength = 2000

export interface MentionEmailFacts {
  email: string
  authorName: string | null
  customerName: string | null
  customerHandle: string | null
  channelName: string
  text: string
  url: string
}

export function composeMentionEmail(mention: MentionEmailFacts): Email {
  const author = mention.authorName ? oneLine(mention.authorName) : 'A teammate'
  const customer = oneLine(mention.customerName ?? mention.customerHandle ?? 'a customer')
  const note = mention.text.length > maxNoteLength ? `${mention.text.slice(0, maxNoteLength)}…` : mention.text
  return renderEmail(mention.email, `${author} mentioned you: conversation with ${customer}`, [
    { kind: 'paragraph', text: `${author} mentioned you in a note on the conversation with ${customer} (${oneLine(mention.channelName)}):` },
    { kind: 'quote', text: note },
    { kind: 'link', label: 'Open the conversation', url: mention.url },
    { kind: 'small', text: 'Carebox emails a mention when you are not working in the console at that moment.' },
  ])
}
