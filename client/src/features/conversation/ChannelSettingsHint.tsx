import { selectHasRole } from '../../store/session.slice'
import { useStore } from '../../store/store'

const isAdminSelector = selectHasRole('admin')

/** Where templates are set up, said to whoever can go there (an admin gets the link), and to the others who to ask. */
export function ChannelSettingsHint({ what }: { what: string }) {
  const isAdmin = useStore(isAdminSelector)
  const navigate = useStore((s) => s.navigate)
  if (!isAdmin) return <p className="muted">Ask an admin to {what} in Settings → Channels.</p>
  return (
    <p className="muted">
      {what.charAt(0).toUpperCase() + what.slice(1)} in{' '}
      <a
        href="/settings/channels"
        onClick={(event) => {
          event.preventDefault()
          navigate('/settings/channels')
        }}
      >
        Settings → Channels
      </a>
      .
    </p>
  )
}
