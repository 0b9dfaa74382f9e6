/** An online agent as auto-assignment weighs them. */
export interface Candidate {
  id: string
  name: string
  capacity: number
  capacityByKind: Record<string, number>
  languages: string[]
  channelKinds: string[]
  load: number
  loadByKind: Record<string, number>
}

export interface Waiting {
  id: string
  language: string | null
  channelKind: string
}

export interface Choice {
  agent: Candidate
  /** Why this agent, in words for the conversation's activity. */
  reason: string
}

/** Skills: an agent with languages listed takes only those (or a conversation whose language is unknown). */
function canTake(agent: Candidate, conversation: Waiting): boolean {
  if (agent.load >= agent.capacity) return false
  const kindCap = agent.capacityByKind[conversation.channelKind]
  if (kindCap !== undefined && (agent.loadByKind[conversation.channelKind] ?? 0) >= kindCap) return false
  if (agent.channelKinds.length > 0 && !agent.channelKinds.includes(conversation.channelKind)) return false
  if (agent.languages.length > 0 && conversation.language !== null && !agent.languages.includes(conversation.language)) return false
  return true
}

/**
 * The least-loaded agent who can take the conversation: fewest open conversations, then the most room left
 * relative to their capacity, then by name so the choice is repeatable. Null when nobody can.
 */
export function chooseAgent(agents: readonly Candidate[], conversation: Waiting): Choice | null {
  let best: Candidate | null = null
  for (const agent of agents) {
    if (!canTake(agent, conversation)) continue
    if (
      !best ||
      agent.load < best.load ||
      (agent.load === best.load && agent.load / agent.capacity < best.load / best.capacity) ||
      (agent.load === best.load && agent.load / agent.capacity === best.load / best.capacity && agent.name < best.name)
    ) {
      best = agent
    }
  }
  if (!best) return null
  const skills = [
    best.languages.length > 0 && conversation.language ? `speaks ${conversation.language}` : null,
    best.channelKinds.length > 0 ? `works ${conversation.channelKind}` : null,
  ].filter(Boolean)
  const reason = `the least-loaded online agent${skills.length > 0 ? ` who ${skills.join(' and ')}` : ''} (${best.load} of ${best.capacity} open before this one)`
  return { agent: best, reason }
}

/** Counts the assignment against the agent, so the next choice in the same run sees it. */
export function recordAssignment(agent: Candidate, conversation: Waiting): void {
  agent.load += 1
  agent.loadByKind[conversation.channelKind] = (agent.loadByKind[conversation.channelKind] ?? 0) + 1
}
