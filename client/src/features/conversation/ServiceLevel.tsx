import { formatSlaLeft, slaTargetKindDefinitions, slaTargetKindLabels, type ConversationSummary, type SlaTarget } from '@carebox/shared'
import { useEffect, useId, useRef } from 'react'
import { formatDateTime } from '../../components/formatTime'
import { useStore } from '../../store/store'

const statusLabels: Record<SlaTarget['status'], string> = { active: 'Running', paused: 'Paused', achieved: 'Met', breached: 'Breached' }

/** When the target's clock stands: due, stopped (met) or broke; a paused clock has no deadline yet. */
function whenOf(target: SlaTarget): string {
  switch (target.status) {
    case 'active':
      return target.dueAt ? `due ${formatDateTime(target.dueAt)}` : ''
    case 'paused':
      return 'waiting on the customer'
    case 'achieved':
      return target.stoppedAt ? `met ${formatDateTime(target.stoppedAt)}` : ''
    case 'breached':
      return target.breachedAt ? `breached ${formatDateTime(target.breachedAt)}` : ''
  }
}

/** The conversation's SLA targets: each promise, where its clock stands, and how it is counted. */
export function ServiceLevel({ conversation }: { conversation: ConversationSummary }) {
  const { id } = conversation
  const targets = useStore((s) => s.slaTargetsByConversation[id])
  const error = useStore((s) => s.slaTargetErrors[id])
  const load = useStore((s) => s.loadSlaTargets)
  const titleId = useId()
  // The summary carries only the nearest deadline; when it moves (a reply, a resolve, a breach, a pause), the
  // targets behind it changed: load them again.
  const standing = `${conversation.status}:${conversation.sla?.state ?? 'none'}:${conversation.sla?.dueAt ?? ''}`

  const last = useRef({ id, standing })
  useEffect(() => {
    const previous = last.current
    last.current = { id, standing }
    // Opening a conversation brings its targets with it (in the conversation's detail): only a later change
    // needs them loaded again.
    if (previous.id !== id || previous.standing === standing) return
    void load(id)
  }, [id, standing, load])

  return (
    <section className="service-level" aria-labelledby={titleId}>
      <h3 id={titleId}>Service level</h3>
      {error && (
        <p role="alert" className="error">
          Could not load the SLA targets: {error}
        </p>
      )}
      {targets && targets.length === 0 && <p className="muted">No SLA policy applies.</p>}
      {targets && targets.length > 0 && (
        <ul className="sla-targets" aria-label="SLA targets">
          {targets.map((target) => (
            <li key={target.id} className={`sla-target sla-target-${target.status}`}>
              <span className="sla-target-head">
                <span className="sla-target-kind" title={slaTargetKindDefinitions[target.kind]}>
                  {slaTargetKindLabels[target.kind]}
                </span>
                <span className="sla-target-status">{statusLabels[target.status]}</span>
              </span>
              <span className="sla-target-when">{whenOf(target)}</span>
              <span className="sla-target-goal muted">
                Within {formatSlaLeft(target.targetMinutes * 60_000)}, {target.businessHours ? 'business hours' : 'calendar time'}
                {target.policyName && <> · {target.policyName}</>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
