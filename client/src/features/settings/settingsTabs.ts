import { hasRole, type Role } from '@carebox/shared'

export type SettingsTabId =
  | 'channels'
  | 'users'
  | 'teams'
  | 'canned-replies'
  | 'routing'
  | 'sla-policies'
  | 'rules'
  | 'surveys'
  | 'reports'
  | 'tokens'
  | 'integrations'
  | 'audit'
  | 'system'

export interface SettingsTab {
  id: SettingsTabId
  label: string
  /** The weakest role that may open it. Only hides the tab: the server refuses the calls behind it anyway. */
  role: Role
}

export const settingsTabs: readonly SettingsTab[] = [
  { id: 'channels', label: 'Channels', role: 'admin' },
  { id: 'users', label: 'Users', role: 'admin' },
  { id: 'teams', label: 'Teams', role: 'admin' },
  { id: 'canned-replies', label: 'Canned replies', role: 'lead' },
  { id: 'routing', label: 'Hours & routing', role: 'lead' },
  { id: 'sla-policies', label: 'SLA policies', role: 'lead' },
  { id: 'rules', label: 'Rules', role: 'lead' },
  { id: 'surveys', label: 'Surveys', role: 'lead' },
  { id: 'reports', label: 'Reports', role: 'lead' },
  { id: 'tokens', label: 'API tokens', role: 'admin' },
  { id: 'integrations', label: 'Integrations', role: 'admin' },
  { id: 'audit', label: 'Audit', role: 'admin' },
  { id: 'system', label: 'System', role: 'admin' },
]

export function visibleSettingsTabs(role: Role): SettingsTab[] {
  return settingsTabs.filter((tab) => hasRole(role, tab.role))
}

/** The tab a path names (`/settings/<id>`), or the first one shown when it names none of them. */
export function settingsTabOf(path: string, tabs: readonly SettingsTab[]): SettingsTab | undefined {
  const id = path.split('/')[2]
  return tabs.find((tab) => tab.id === id) ?? tabs[0]
}
