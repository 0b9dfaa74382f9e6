/** The dashboard, and the surge panel on it (where a surge alert leads). */
export const dashboardPath = '/dashboard'
export const surgesAnchor = 'surges'
export const surgesPath = `${dashboardPath}#${surgesAnchor}`

/** The wall screen (TV mode), for one team or every team the lead sees. */
export function wallboardPath(teamId?: string): string {
  return teamId ? `/wallboard?teamId=${encodeURIComponent(teamId)}` : '/wallboard'
}
