import { PageHeader } from '../../components/PageHeader'
import { SystemPanel } from './SystemPanel'

export function SettingsPage() {
  return (
    <section className="page">
      <PageHeader title="Settings" />
      <SystemPanel />
    </section>
  )
}
