import type { Priority } from '@carebox/shared'

const shown: Partial<Record<Priority, string>> = { high: 'High', urgent: 'Urgent' }

/** Marks high and urgent conversations; normal and low ones show nothing. */
export function PriorityBadge({ priority }: { priority: Priority }) {
  const label = shown[priority]
  if (!label) return null
  return <span className={`priority priority-${priority}`}>{label}</span>
}
