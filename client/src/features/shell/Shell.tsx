import { roleLabels } from '@carebox/shared'
import type { ReactNode } from 'react'
import type { Section } from '../../store/router.slice'
import { useStore } from '../../store/store'
import { NotificationSettings } from '../notifications/NotificationSettings'
import { NotificationToasts } from '../notifications/NotificationToasts'
import { HealthBanner } from './HealthBanner'
import { NavLink } from './NavLink'
import { PresenceControl } from './PresenceControl'
import { canOpenSection, sections } from './sections'
import { useActivityReporter } from './useActivityReporter'

export function Shell({ section, children }: { section: Section; children: ReactNode }) {
  const user = useStore((s) => s.session?.user)
  const signOut = useStore((s) => s.signOut)
  const visible = user ? sections.filter((s) => canOpenSection(user.role, s.id)) : []
  useActivityReporter()
  return (
    <div className="shell">
      <HealthBanner />
      <nav className="shell-nav" aria-label="Main">
        <div className="shell-brand" aria-label="Carebox">
          <span className="shell-logo" aria-hidden="true">
            C
          </span>
          <span className="shell-brand-name">Carebox</span>
        </div>
        <ul>
          {visible.map((s) => (
            <li key={s.id}>
              <NavLink path={s.path} isActive={s.id === section} icon={s.icon} label={s.label} />
            </li>
          ))}
        </ul>
        {user && (
          <div className="shell-user" aria-label="Signed in">
            <span className="shell-user-name">{user.name}</span>
            <span className="shell-user-role">{roleLabels[user.role]}</span>
            <PresenceControl />
            <button type="button" className="shell-sign-out" onClick={() => void signOut()}>
              Sign out
            </button>
            <NotificationSettings />
          </div>
        )}
      </nav>
      <main className="shell-main">{children}</main>
      <NotificationToasts />
    </div>
  )
}
