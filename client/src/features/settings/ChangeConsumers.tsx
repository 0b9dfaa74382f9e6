import { systemApi, type ChangeDeadLetter, type ChangesOverview } from '@carebox/shared'
import { useCallback, useEffect, useState, type MouseEvent } from 'react'
import { call } from '../../api/http'
import { RelativeTime } from '../../components/RelativeTime'
import { conversationPath } from '../../store/router.slice'
import { useStore } from '../../store/store'
import './change-consumers.css'

/** What each consumer of the record of changes looks after, in a line an admin can act on. */
const consumerDescriptions: Record<string, string> = {
  console: 'Live updates to agents’ consoles',
  rules: 'Message rules, out-of-hours replies and contact profile lookups',
  sla: 'SLA deadlines and timers, and waiting-rule timers',
  assignment: 'Auto-assignment of waiting conversations',
  rollups: 'The figures in reports',
  surges: 'Surge checks',
}

const keyOf = (letter: Pick<ChangeDeadLetter, 'consumer' | 'seq'>) => `${letter.consumer}:${letter.seq}`

/**
 * Settings → System: how far each consumer of changes has got, and the changes it gave up on (dead letters),
 * which an admin replays once the cause is fixed.
 */
export function ChangeConsumers() {
  const open = useStore((s) => s.openConversation)
  const [overview, setOverview] = useState<ChangesOverview | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  /** Replays under way, by dead letter. */
  const [replaying, setReplaying] = useState<ReadonlySet<string>>(new Set())
  /** Why a dead letter's last replay failed, by dead letter: kept next to it until it is replayed. */
  const [failures, setFailures] = useState<Readonly<Record<string, string>>>({})
  const [isReplayingAll, setReplayingAll] = useState(false)
  const [status, setStatus] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      setOverview(await call(systemApi.changes))
      setLoadError(null)
    } catch (error) {
      setLoadError((error as Error).message)
    }
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  async function replay(letter: ChangeDeadLetter) {
    const key = keyOf(letter)
    setReplaying((keys) => new Set(keys).add(key))
    setStatus(null)
    try {
      await call(systemApi.replayChangeDeadLetter, { body: { consumer: letter.consumer, seq: letter.seq } })
      setOverview((current) => current && { ...current, deadLetters: current.deadLetters.filter((d) => keyOf(d) !== key) })
      setFailures(({ [key]: _, ...rest }) => rest)
      setStatus(`Change #${letter.seq} replayed for ${letter.consumer}.`)
    } catch (error) {
      setFailures((all) => ({ ...all, [key]: (error as Error).message }))
    } finally {
      setReplaying((keys) => {
        const next = new Set(keys)
        next.delete(key)
        return next
      })
    }
    await load()
  }

  async function replayAll() {
    setReplayingAll(true)
    setStatus(null)
    try {
      const { replayed, failed } = await call(systemApi.replayAllChangeDeadLetters, { body: {} })
      setFailures({})
      setStatus(
        failed === 0
          ? `Replayed ${replayed} dead letter${replayed === 1 ? '' : 's'}.`
          : `Replayed ${replayed}; ${failed} failed again and stay listed with their new error.`,
      )
    } catch (error) {
      setStatus(`Replay all failed: ${(error as Error).message}`)
    } finally {
      setReplayingAll(false)
    }
    await load()
  }

  const onOpen = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    open(id)
  }

  return (
    <section className="panel" aria-labelledby="change-consumers-heading">
      <div className="panel-head">
        <h2 id="change-consumers-heading">Consumers of changes</h2>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <p className="muted">
        Every change (a message, an assignment, a status) is followed up by these consumers, each at its own pace. A change one fails on five times is set aside
        as a dead letter so the rest keep flowing; replay it once the cause is fixed.
      </p>
      {loadError && (
        <p role="alert" className="error">
          Could not load the consumers of changes: {loadError}
        </p>
      )}
      {!overview && !loadError && <p className="muted">Loading…</p>}
      {overview && (
        <>
          <div className="table-wrap">
            <table className="data-table" aria-label="Consumers of changes">
              <thead>
                <tr>
                  <th scope="col">Consumer</th>
                  <th scope="col">Behind</th>
                  <th scope="col">Processed</th>
                  <th scope="col">Dead letters</th>
                  <th scope="col">Last moved</th>
                </tr>
              </thead>
              <tbody>
                {overview.consumers.map((consumer) => (
                  <tr key={consumer.name}>
                    <th scope="row" className="change-consumer-name">
                      {consumer.name}
                      {consumerDescriptions[consumer.name] && <span className="muted">{consumerDescriptions[consumer.name]}</span>}
                    </th>
                    <td>{consumer.behind}</td>
                    <td>{consumer.processed}</td>
                    <td className={consumer.deadLetters > 0 ? 'error' : undefined}>{consumer.deadLetters}</td>
                    <td>
                      <RelativeTime at={consumer.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="panel-head">
            <h3>Dead letters</h3>
            <button type="button" disabled={isReplayingAll || overview.deadLetters.length === 0} onClick={() => void replayAll()}>
              Replay all
            </button>
          </div>
          {status && (
            <p role="status" className="muted">
              {status}
            </p>
          )}
          {overview.deadLetters.length === 0 ? (
            <p className="muted">No dead letters: every change has been followed up.</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table" aria-label="Dead letters">
                <thead>
                  <tr>
                    <th scope="col">Consumer</th>
                    <th scope="col">Change</th>
                    <th scope="col">Conversation</th>
                    <th scope="col">When</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Error</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {overview.deadLetters.map((letter) => {
                    const key = keyOf(letter)
                    const failure = failures[key]
                    return (
                      <tr key={key}>
                        <td>{letter.consumer}</td>
                        <td>
                          {letter.type} <span className="muted">#{letter.seq}</span>
                        </td>
                        <td>
                          {letter.conversationId ? (
                            <a href={conversationPath(letter.conversationId)} onClick={(event) => onOpen(event, letter.conversationId!)}>
                              #{letter.conversationId.slice(0, 8)}
                            </a>
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </td>
                        <td>
                          <RelativeTime at={letter.occurredAt} />
                        </td>
                        <td>{letter.attempts}</td>
                        <td>
                          {/* The consumer's own message: plain text, whatever it contains. */}
                          <span className="change-dead-letter-error">{letter.error}</span>
                        </td>
                        <td className="change-dead-letter-actions">
                          <button
                            type="button"
                            disabled={replaying.has(key) || isReplayingAll}
                            onClick={() => void replay(letter)}
                            aria-label={`Replay change #${letter.seq} for ${letter.consumer}`}
                          >
                            Replay
                          </button>
                          {failure && (
                            <span role="alert" className="error">
                              {failure}
                            </span>
                          )}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  )
}
