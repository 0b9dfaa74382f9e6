import { useStore } from '../../store/store'

/** Picks teams by id; the teams themselves come from the store (loaded by the panel). */
export function TeamCheckboxes({ selected, onChange }: { selected: readonly string[]; onChange: (teamIds: string[]) => void }) {
  const teams = useStore((s) => s.teams)
  const toggle = (id: string, isChecked: boolean) => onChange(isChecked ? [...selected, id] : selected.filter((t) => t !== id))
  return (
    <fieldset className="checkbox-list">
      <legend>Teams</legend>
      {teams === null ? (
        <span className="muted">Loading…</span>
      ) : teams.length === 0 ? (
        <span className="muted">No teams yet.</span>
      ) : (
        teams.map((team) => (
          <label key={team.id}>
            <input type="checkbox" checked={selected.includes(team.id)} onChange={(e) => toggle(team.id, e.target.checked)} />
            {team.name}
          </label>
        ))
      )}
    </fieldset>
  )
}
