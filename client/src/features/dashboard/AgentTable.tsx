import type { AgentReportRow } from '@carebox/shared'
import { useId, useState } from 'react'
import type { AgentReport } from '../../store/reports.slice'
import { DefinitionButton } from './DefinitionButton'
import { formatNumber, formatRate, formatSeconds } from './report-format'

interface Column {
  id: string
  label: string
  /** What the column sorts by; null sorts last whichever way. */
  value(row: AgentReportRow): number | string | null
  text(row: AgentReportRow): string
}

const columns: readonly Column[] = [
  { id: 'name', label: 'Agent', value: (r) => r.name.toLocaleLowerCase(), text: (r) => r.name },
  { id: 'replies', label: 'Replies', value: (r) => r.replies, text: (r) => formatNumber(r.replies) },
  { id: 'resolved', label: 'Resolved', value: (r) => r.resolved, text: (r) => formatNumber(r.resolved) },
  { id: 'frt', label: 'Median first response', value: (r) => r.firstResponse.median, text: (r) => formatSeconds(r.firstResponse.median) },
  { id: 'handle', label: 'Median handle time', value: (r) => r.handle.median, text: (r) => formatSeconds(r.handle.median) },
  { id: 'sla', label: 'SLA achievement', value: (r) => r.sla.rate, text: (r) => formatRate(r.sla.rate) },
  { id: 'reopen', label: 'Reopen rate', value: (r) => r.reopenRate, text: (r) => formatRate(r.reopenRate) },
  { id: 'online', label: 'Time online', value: (r) => r.onlineSeconds, text: (r) => formatSeconds(r.onlineSeconds) },
]

type Sort = { column: string; direction: 'ascending' | 'descending' }

function compare(a: number | string | null, b: number | string | null, direction: Sort['direction']): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  const order = a < b ? -1 : 1
  return direction === 'ascending' ? order : -order
}

/** What each person did in the period, with the totals (the rows add up to them). Columns sort on a click. */
export function AgentTable({ report }: { report: AgentReport }) {
  const [sort, setSort] = useState<Sort>({ column: 'replies', direction: 'descending' })
  const titleId = useId()
  const column = columns.find((c) => c.id === sort.column) ?? columns[0]
  const rows = [...report.items].sort((a, b) => (column ? compare(column.value(a), column.value(b), sort.direction) : 0))

  const sortBy = (id: string) =>
    setSort((s) =>
      s.column === id
        ? { column: id, direction: s.direction === 'ascending' ? 'descending' : 'ascending' }
        : { column: id, direction: id === 'name' ? 'ascending' : 'descending' },
    )

  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="chart-head">
        <h2 id={titleId}>Agents</h2>
        <DefinitionButton metric="agents" />
      </div>
      {report.items.length === 0 ? (
        <p className="muted">Nobody worked a conversation in this period.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table agent-table" aria-labelledby={titleId}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.id} scope="col" aria-sort={sort.column === c.id ? sort.direction : undefined}>
                    <button type="button" className="sort-button" onClick={() => sortBy(c.id)}>
                      {c.label}
                      <span aria-hidden="true">{sort.column === c.id ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.agentId ?? 'nobody'}>
                  {columns.map((c, index) =>
                    index === 0 ? (
                      <th key={c.id} scope="row">
                        <bdi>{c.text(row)}</bdi>
                      </th>
                    ) : (
                      <td key={c.id} title={c.id === 'sla' ? `${row.sla.achieved} achieved, ${row.sla.breached} breached` : undefined}>
                        {c.text(row)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="totals-row">
                {columns.map((c, index) =>
                  index === 0 ? (
                    <th key={c.id} scope="row">
                      Total
                    </th>
                  ) : (
                    <td key={c.id}>{c.text(report.totals)}</td>
                  ),
                )}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  )
}
