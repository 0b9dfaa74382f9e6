import { roleLabels } from '@carebox/shared'
import { useState, type ReactNode } from 'react'
import { Avatar } from '../../components/Avatar'
import type { Section } from '../../store/router.slice'
import { useStore } from '../../store/store'
import { NotificationSettings } from '../notifications/NotificationSettings'
import { NotificationToasts } from '../notifications/NotificationToasts'
import { HealthBanner } from './HealthBanner'
import { NavLink } from './NavLink'
import { PresenceControl } from './PresenceControl'
import { canOpenSection, sections } from './sections'
import { useActivityReporter } from './useActivityReporter'
import './shell.css'

export function Shell({ section, children }: { section: Section; children: ReactNode }) {
  const user = useStore((s) => s.session?.user)
  const signOut = useStore((s) => s.signOut)
  const path = useStore((s) => s.path)
  const visible = user ? sections.filter((s) => canOpenSection(user.role, s.id)) : []
  // On a narrow screen the person's own controls fold into a menu under their initials (see shell.css). It stays
  // open on the page it was opened on: going elsewhere closes it.
  const [userMenuOpenOn, setUserMenuOpenOn] = useState<string | null>(null)
  const isUserMenuOpen = userMenuOpenOn === path
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
          <button
            type="button"
            className="shell-menu-toggle"
            aria-expanded={isUserMenuOpen}
            aria-controls="shell-user"
            aria-label="Your account"
            onClick={() => setUserMenuOpenOn(isUserMenuOpen ? null : path)}
          >
            <Avatar name={user.name} />
          </button>
        )}
        {user && (
          <div id="shell-user" className={isUserMenuOpen ? 'shell-user open' : 'shell-user'} aria-label="Signed in">
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
