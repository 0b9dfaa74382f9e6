import { PageHeader } from '../../components/PageHeader'
import { useStore } from '../../store/store'
import { NavLink } from '../shell/NavLink'
import { ChannelsPanel } from './ChannelsPanel'
import { SystemPanel } from './SystemPanel'

export function SettingsPage() {
  const path = useStore((s) => s.path)
  const tab = path.startsWith('/settings/system') ? 'system' : 'channels'
  return (
    <section className="page">
      <PageHeader title="Settings" />
      <nav className="tabs" aria-label="Settings">
        <NavLink path="/settings/channels" isActive={tab === 'channels'} label="Channels" />
        <NavLink path="/settings/system" isActive={tab === 'system'} label="System" />
      </nav>
      {tab === 'channels' ? <ChannelsPanel /> : <SystemPanel />}
    </section>
  )
}
