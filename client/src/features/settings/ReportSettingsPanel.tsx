import { useEffect, useState } from 'react'
import { selectHasRole } from '../../store/session.slice'
import { useStore } from '../../store/store'
import './report-settings.css'
import { ReportSettingsForm } from './ReportSettingsForm'

/** Settings → Reports: the cost-saving inputs and the surge thresholds (admins change them, leads read them). */
export function ReportSettingsPanel() {
  const settings = useStore((s) => s.reportSettings)
  const error = useStore((s) => s.reportSettingsError)
  const load = useStore((s) => s.loadReportSettings)
  const canEdit = useStore(selectHasRole('admin'))
  const [isSaved, setSaved] = useState(false)

  useEffect(() => {
    void load()
  }, [load])

  return (
    <section className="panel" aria-labelledby="report-settings-heading">
      <h2 id="report-settings-heading">Reports</h2>
      <p className="muted">
        The inputs of the dashboard’s cost saving, and when a rise in messages or complaints on a channel or tag counts as a surge.
        {canEdit ? '' : ' Only admins can change them.'}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {settings === null ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        // A fresh form for what was saved or loaded: its fields start from the settings as they stand.
        <ReportSettingsForm key={JSON.stringify(settings)} settings={settings} canEdit={canEdit} onSaved={() => setSaved(true)} />
      )}
      <p role="status" className="muted">
        {isSaved ? 'Saved.' : ''}
      </p>
    </section>
  )
}
