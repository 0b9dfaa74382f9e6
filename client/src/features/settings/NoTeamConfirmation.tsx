/**
 * Shown while an agent or lead would be left with no team. They would see no conversations at all, and nothing in
 * their inbox would say why, so the admin confirms it is meant (the server asks for the same confirmation).
 */
export function NoTeamConfirmation({ isConfirmed, onChange }: { isConfirmed: boolean; onChange: (isConfirmed: boolean) => void }) {
  return (
    <fieldset className="checkbox-list">
      <legend>No team chosen</legend>
      <span className="muted">Agents and team leads see only their teams’ conversations: with no team, they see none.</span>
      <label>
        <input type="checkbox" checked={isConfirmed} onChange={(e) => onChange(e.target.checked)} />
        Go ahead anyway: they will see no conversations until they are given a team
      </label>
    </fieldset>
  )
}

export const chooseTeamFirst = 'Choose at least one team, or confirm that they will see no conversations.'
