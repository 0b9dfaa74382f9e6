import { hasRole, type Role } from '@carebox/shared'
import type { Section } from '../../store/router.slice'
import { visibleSettingsTabs } from '../settings/settingsTabs'

export const sections: readonly { id: Section; label: string; path: string; icon: string }[] = [
  { id: 'inbox', label: 'Inbox', path: '/inbox', icon: '✉' },
  { id: 'dashboard', label: 'Dashboard', path: '/dashboard', icon: '▦' },
  { id: 'settings', label: 'Settings', path: '/settings', icon: '⚙' },
]

/** Whether a role gets a section in the console. Only hides: the server enforces every rule. */
export function canOpenSection(role: Role, section: Section): boolean {
  switch (section) {
    case 'inbox':
      return true
    case 'dashboard':
      return hasRole(role, 'lead')
    case 'settings':
      return visibleSettingsTabs(role).length > 0
  }
}
