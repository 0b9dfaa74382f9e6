import { Fragment, useMemo } from 'react'
import { linkify } from './linkify'

/**
 * Customer-written text, shown as text: React escapes every part, and only http(s) URLs become links. Each link
 * shows exactly what was written; its title shows where it really goes.
 */
export function MessageText({ text, className = 'message-text' }: { text: string; className?: string }) {
  const parts = useMemo(() => linkify(text), [text])
  if (!text) return null
  return (
    <p className={className} dir="auto">
      {parts.map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} title={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.text}
          </a>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </p>
  )
}
