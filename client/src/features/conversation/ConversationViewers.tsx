import { useShallow } from 'zustand/react/shallow'
import { Avatar } from '../../components/Avatar'
import { useStore } from '../../store/store'

/** Teammates who have this conversation open too (never yourself). */
export function ConversationViewers({ conversationId }: { conversationId: string }) {
  const viewers = useStore(useShallow((s) => (s.viewersByConversation[conversationId] ?? []).filter((v) => v.id !== s.session?.user.id)))
  if (viewers.length === 0) return null
  return (
    <span className="viewers" role="group" aria-label="Also viewing">
      {viewers.map((v) => (
        <Avatar key={v.id} name={v.name} label={`${v.name} is viewing`} />
      ))}
    </span>
  )
}
