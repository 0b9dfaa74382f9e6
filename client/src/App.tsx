import { useEffect } from 'react'
import { DashboardPage } from './features/dashboard/DashboardPage'
import { InboxPage } from './features/inbox/InboxPage'
import { SettingsPage } from './features/settings/SettingsPage'
import { Shell } from './features/shell/Shell'
import { sectionOf } from './store/router.slice'
import { useStore } from './store/store'

export function App() {
  const path = useStore((s) => s.path)
  const syncPath = useStore((s) => s.syncPath)

  useEffect(() => {
    const onPopState = () => syncPath(window.location.pathname)
    window.addEventListener('popstate', onPopState)
    return () => window.removeEventListener('popstate', onPopState)
  }, [syncPath])

  const section = sectionOf(path)
  return (
    <Shell section={section}>
      {section === 'inbox' && <InboxPage />}
      {section === 'dashboard' && <DashboardPage />}
      {section === 'settings' && <SettingsPage />}
    </Shell>
  )
}
