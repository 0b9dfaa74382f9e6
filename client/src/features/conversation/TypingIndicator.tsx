import { useStore } from '../../store/store'
import type { Typist } from '../../store/presence.slice'

const noTypists: Typist[] = []

function sentenceOf(typists: Typist[]): string {
  const [first] = typists
  if (!first) return ''
  if (typists.length > 1) return `${typists.map((t) => t.user.name).join(', ')} are typing…`
  return `${first.user.name} is typing ${first.mode === 'note' ? 'a note' : 'a reply'}…`
}

/** "Kim is typing a reply…": teammates writing in this conversation right now. */
export function TypingIndicator({ conversationId }: { conversationId: string }) {
  const typists = useStore((s) => s.typistsByConversation[conversationId] ?? noTypists)
  return (
    <p className="typing-indicator muted" role="status" aria-live="polite">
      {sentenceOf(typists)}
    </p>
  )
}
