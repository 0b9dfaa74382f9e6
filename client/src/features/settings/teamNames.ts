import type { Team } from '@carebox/shared'

/** The names of the teams with these ids, for display; ids of teams not loaded are left out. */
export function teamNames(teamIds: readonly string[], teams: readonly Team[] | null): string {
  const names = teamIds.map((id) => teams?.find((t) => t.id === id)?.name).filter((name) => name !== undefined)
  return names.length > 0 ? names.join(', ') : '—'
}
