import { useEffect } from 'react'
import { formatFullDateTime } from '../../components/formatTime'
import { useStore } from '../../store/store'
import { ChangeConsumers } from './ChangeConsumers'
import { ChannelHealthTable } from './ChannelHealthTable'

export function SystemPanel() {
  const info = useStore((s) => s.systemInfo)
  const error = useStore((s) => s.systemError)
  const load = useStore((s) => s.loadSystemInfo)

  useEffect(() => {
    void load()
  }, [load])

  return (
    <>
      <section className="panel" aria-labelledby="system-heading">
        <h2 id="system-heading">System</h2>
        {error && (
          <p role="alert" className="error">
            Could not load system status: {error}
          </p>
        )}
        {!info && !error && <p className="muted">Loading…</p>}
        {info && (
          <dl className="facts">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Database</dt>
            <dd>
              PostgreSQL {info.database.serverVersion} ({info.database.mode === 'embedded' ? 'embedded' : 'external server'})
            </dd>
            <dt>Migrations applied</dt>
            <dd>{info.database.migrationsApplied}</dd>
            <dt>Job worker</dt>
            <dd>{info.queue.workerInProcess ? 'Running in this process' : 'Separate process'}</dd>
            <dt>Jobs waiting</dt>
            <dd>{info.queue.pendingJobs}</dd>
            <dt>Jobs held by a stopped worker</dt>
            <dd title="Locked by a worker that stopped without finishing them: another worker takes them over within a minute">{info.queue.heldJobs}</dd>
            <dt>Jobs failed</dt>
            <dd>{info.queue.failedJobs}</dd>
            <dt>Running since</dt>
            <dd>{formatFullDateTime(info.startedAt)}</dd>
          </dl>
        )}
      </section>
      {/* Once the system answers at all: while it cannot, the error above says so once for the whole tab. */}
      {info && <ChannelHealthTable />}
      {info && <ChangeConsumers />}
    </>
  )
}
