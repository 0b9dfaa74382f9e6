import type { ReactNode } from 'react'
import type { Section } from '../../store/router.slice'
import { NavLink } from './NavLink'

const sections: { id: Section; label: string; path: string; icon: string }[] = [
  { id: 'inbox', label: 'Inbox', path: '/inbox', icon: '✉' },
  { id: 'dashboard', label: 'Dashboard', path: '/dashboard', icon: '▦' },
  { id: 'settings', label: 'Settings', path: '/settings', icon: '⚙' },
]

export function Shell({ section, children }: { section: Section; children: ReactNode }) {
  return (
    <div className="shell">
      <nav className="shell-nav" aria-label="Main">
        <div className="shell-brand" aria-label="Carebox">
          <span className="shell-logo" aria-hidden="true">C</span>
          <span className="shell-brand-name">Carebox</span>
        </div>
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <NavLink path={s.path} isActive={s.id === section} icon={s.icon} label={s.label} />
            </li>
          ))}
        </ul>
      </nav>
      <main className="shell-main">{children}</main>
    </div>
  )
}
