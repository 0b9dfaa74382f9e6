import { priorities, type Priority } from '@carebox/shared'
import { priorityLabels } from '../../components/priorityLabels'

/** How urgent the conversation is; changing it is one request. */
export function PriorityControl({ priority, onChange }: { priority: Priority; onChange: (priority: Priority) => void }) {
  return (
    <select className="priority-select" aria-label="Conversation priority" value={priority} onChange={(event) => onChange(event.target.value as Priority)}>
      {priorities.map((p) => (
        <option key={p} value={p}>
          {priorityLabels[p]} priority
        </option>
      ))}
    </select>
  )
}
