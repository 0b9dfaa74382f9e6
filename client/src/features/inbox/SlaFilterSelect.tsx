import { slaFilters, type SlaFilter } from '@carebox/shared'
import { useStore } from '../../store/store'
import { slaFilterLabels } from './sla-filter-labels'

/** Narrows the list by where each conversation's nearest deadline stands. */
export function SlaFilterSelect() {
  const sla = useStore((s) => s.listFilters.sla)
  const setListFilters = useStore((s) => s.setListFilters)
  return (
    <select aria-label="SLA" value={sla ?? ''} onChange={(event) => setListFilters({ sla: (event.target.value || null) as SlaFilter | null })}>
      <option value="">Any SLA</option>
      {slaFilters.map((f) => (
        <option key={f} value={f}>
          {slaFilterLabels[f]}
        </option>
      ))}
    </select>
  )
}
