import { EmptyState } from '../../components/EmptyState'
import { PageHeader } from '../../components/PageHeader'

export function DashboardPage() {
  return (
    <section className="page">
      <PageHeader title="Dashboard" />
      <EmptyState title="Nothing to report yet">
        Response rates, response times and SLA figures appear once conversations come in.
      </EmptyState>
    </section>
  )
}
