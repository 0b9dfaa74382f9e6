import { lazy, Suspense, useEffect } from 'react'
import { EmptyState } from './components/EmptyState'
import { PageHeader } from './components/PageHeader'
import { LinkPage } from './features/auth/LinkPage'
import { LoginPage } from './features/auth/LoginPage'
import { InboxPage } from './features/inbox/InboxPage'
import { SettingsPage } from './features/settings/SettingsPage'
import { canOpenSection } from './features/shell/sections'
import { Shell } from './features/shell/Shell'
import { routeOf } from './store/router.slice'
import { selectRole } from './store/session.slice'
import { useStore } from './store/store'

// Loaded when first opened: their charts (recharts) would otherwise weigh on every agent's first load.
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })))
const WallboardPage = lazy(() => import('./features/wallboard/WallboardPage').then((m) => ({ default: m.WallboardPage })))

function PageLoading({ title }: { title: string }) {
  return (
    <section className="page">
      <PageHeader title={title} />
      <p className="muted" role="status">
        Loading…
      </p>
    </section>
  )
}

export function App() {
  const path = useStore((s) => s.path)
  const syncPath = useStore((s) => s.syncPath)
  const status = useStore((s) => s.sessionStatus)
  const role = useStore(selectRole)
  const loadSession = useStore((s) => s.loadSession)

  useEffect(() => {
    const onPopState = () => syncPath(window.location.pathname)
    window.addEventListener('popstate', onPopState)
    return () => window.removeEventListener('popstate', onPopState)
  }, [syncPath])

  useEffect(() => {
    if (status === 'loading') void loadSession()
  }, [status, loadSession])

  const route = routeOf(path)
  // A single-use link works whoever is signed in on this browser: using it signs in as its owner.
  if (route.page === 'join') return <LinkPage token={route.token} />
  if (status === 'loading') {
    return (
      <p className="app-loading muted" role="status">
        Loading…
      </p>
    )
  }
  // Signed out, every path shows the sign-in page and stays in the address bar, to return to once signed in.
  if (status === 'signedOut' || !role) return <LoginPage />

  // The wall screen is the dashboard's, for the same people, on a screen of its own.
  if (route.page === 'wallboard' && canOpenSection(role, 'dashboard')) {
    return (
      <Suspense fallback={<PageLoading title="Wallboard" />}>
        <WallboardPage />
      </Suspense>
    )
  }

  const section = route.page === 'console' ? route.section : route.page === 'wallboard' ? 'dashboard' : 'inbox'
  return (
    <Shell section={section}>
      {!canOpenSection(role, section) ? (
        <section className="page">
          <EmptyState title="Not available">Your role does not include this page. Ask an admin if you need it.</EmptyState>
        </section>
      ) : (
        <>
          {section === 'inbox' && <InboxPage />}
          {section === 'dashboard' && (
            <Suspense fallback={<PageLoading title="Dashboard" />}>
              <DashboardPage />
            </Suspense>
          )}
          {section === 'settings' && <SettingsPage />}
        </>
      )}
    </Shell>
  )
}
