import type { SurgeAlert } from '@carebox/shared'
import { DefinitionButton } from './DefinitionButton'
import { surgesAnchor } from './dashboard-paths'
import { SurgeItem } from './SurgeItem'

/** Surge alerts of the last 7 days, newest first: where a live surge alert leads. */
export function SurgesPanel({ surges, error }: { surges: SurgeAlert[] | null; error: string | undefined }) {
  return (
    <section id={surgesAnchor} className="panel" aria-labelledby="surges-heading" tabIndex={-1}>
      <div className="chart-head">
        <h2 id="surges-heading">Surges</h2>
        <DefinitionButton metric="surges" />
      </div>
      <p className="metric-note">The last 7 days, newest first, whatever the period above.</p>
      {error && (
        <p role="alert" className="error">
          Could not load surges: {error}
        </p>
      )}
      {surges === null ? (
        !error && <p className="muted">Loading…</p>
      ) : surges.length === 0 ? (
        <p className="muted">No surges in the last 7 days.</p>
      ) : (
        <ul className="surge-list">
          {surges.map((surge) => (
            <SurgeItem key={surge.id} surge={surge} />
          ))}
        </ul>
      )}
    </section>
  )
}
