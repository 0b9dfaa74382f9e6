import { useStore } from '../../store/store'

/**
 * "Team" for something that belongs to one team or to all: the teams the person may choose, and the one it is saved
 * with even when that is not among them (another lead's team, or the list still loading), so editing never drops it.
 */
export function TeamSelect({
  value,
  onChange,
  anyLabel,
  savedTeamId,
}: {
  value: string
  onChange: (teamId: string) => void
  /** What the empty choice means here: "Every team", "Everyone"… */
  anyLabel: string
  savedTeamId: string | null | undefined
}) {
  const teams = useStore((s) => s.teams)
  return (
    <label>
      Team
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {savedTeamId && !teams?.some((t) => t.id === savedTeamId) && <option value={savedTeamId}>{teams === null ? 'Loading teams…' : 'Current team'}</option>}
        {teams?.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
    </label>
  )
}
