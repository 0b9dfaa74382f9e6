import type { ReactNode } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'
import { selectRole } from '../../store/session.slice'
import { useStore } from '../../store/store'
import { NavLink } from '../shell/NavLink'
import { AuditPanel } from './AuditPanel'
import { CannedRepliesPanel } from './CannedRepliesPanel'
import { IntegrationsPanel } from './IntegrationsPanel'
import { ChannelsPanel } from './ChannelsPanel'
import { ReportSettingsPanel } from './ReportSettingsPanel'
import { RoutingPanel } from './RoutingPanel'
import { RulesPanel } from './RulesPanel'
import { settingsTabOf, visibleSettingsTabs, type SettingsTabId } from './settingsTabs'
import { SlaPoliciesPanel } from './SlaPoliciesPanel'
import { SurveysPanel } from './SurveysPanel'
import { SystemPanel } from './SystemPanel'
import { TeamsPanel } from './TeamsPanel'
import { TokensPanel } from './TokensPanel'
import { UsersPanel } from './UsersPanel'

const panels: Record<SettingsTabId, () => ReactNode> = {
  channels: () => <ChannelsPanel />,
  users: () => <UsersPanel />,
  teams: () => <TeamsPanel />,
  'canned-replies': () => <CannedRepliesPanel />,
  routing: () => <RoutingPanel />,
  'sla-policies': () => <SlaPoliciesPanel />,
  rules: () => <RulesPanel />,
  surveys: () => <SurveysPanel />,
  reports: () => <ReportSettingsPanel />,
  tokens: () => <TokensPanel />,
  integrations: () => <IntegrationsPanel />,
  audit: () => <AuditPanel />,
  system: () => <SystemPanel />,
}

export function SettingsPage() {
  const path = useStore((s) => s.path)
  const role = useStore(selectRole)
  const tabs = role ? visibleSettingsTabs(role) : []
  const tab = settingsTabOf(path, tabs)
  return (
    <section className="page">
      <PageHeader title="Settings" />
      {tab ? (
        <>
          <nav className="tabs" aria-label="Settings">
            {tabs.map((t) => (
              <NavLink key={t.id} path={`/settings/${t.id}`} isActive={t.id === tab.id} label={t.label} />
            ))}
          </nav>
          {panels[tab.id]()}
        </>
      ) : (
        <EmptyState title="Nothing to set here">Your role has no settings to change.</EmptyState>
      )}
    </section>
  )
}
