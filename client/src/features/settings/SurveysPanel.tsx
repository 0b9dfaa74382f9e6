import { useEffect, useId, useMemo, useState } from 'react'
import { useStore } from '../../store/store'
import { defaultTextsOf } from './survey-settings-fields'
import { SurveySettingsForm } from './SurveySettingsForm'
import './surveys.css'

/** Settings → Surveys: each team's satisfaction surveys, one team at a time (a lead's own teams; every team for admins). */
export function SurveysPanel() {
  const teams = useStore((s) => s.teams)
  const teamsError = useStore((s) => s.teamsError)
  const loadTeams = useStore((s) => s.loadTeams)
  const loadChannels = useStore((s) => s.loadChannels)
  const [chosenTeamId, setChosenTeamId] = useState<string | null>(null)
  const team = teams?.find((t) => t.id === chosenTeamId) ?? teams?.[0]
  const teamId = team?.id
  const loaded = useStore((s) => (teamId ? s.surveySettingsByTeam[teamId] : undefined))
  const error = useStore((s) => (teamId ? s.surveySettingsErrors[teamId] : undefined))
  const load = useStore((s) => s.loadSurveySettings)
  const allChannels = useStore((s) => s.channels)
  const channels = useMemo(() => allChannels?.filter((c) => c.teamId === teamId) ?? null, [allChannels, teamId])
  const defaults = useMemo(() => defaultTextsOf(loaded?.defaults ?? {}), [loaded?.defaults])
  const [isSaved, setSaved] = useState(false)
  const teamFieldId = useId()

  useEffect(() => {
    void loadTeams()
    void loadChannels()
  }, [loadTeams, loadChannels])

  useEffect(() => {
    if (teamId) void load(teamId)
  }, [teamId, load])

  return (
    <section className="panel survey-panel" aria-labelledby="surveys-heading">
      <h2 id="surveys-heading">Surveys</h2>
      <p className="muted">
        After a resolve, Carebox asks the customer for a rating from 1 to 5 on their own channel. A rating of 1 or 2 tells the team’s leads and puts the
        conversation in Low ratings. Where the platform no longer allows a message, the survey is not offered and the thread says why.
      </p>
      {teamsError && (
        <p role="alert" className="error">
          {teamsError}
        </p>
      )}
      {teams === null ? (
        !teamsError && <p className="muted">Loading…</p>
      ) : !team || !teamId ? (
        <p className="muted">You are in no team yet.</p>
      ) : (
        <>
          {teams.length > 1 ? (
            <div className="survey-team">
              <label htmlFor={teamFieldId}>Team</label>
              <select
                id={teamFieldId}
                value={teamId}
                onChange={(e) => {
                  setSaved(false)
                  setChosenTeamId(e.target.value)
                }}
              >
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <p className="survey-team">
              Team <bdi>{team.name}</bdi>
            </p>
          )}
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          {loaded ? (
            // A fresh form for each team and for what was saved or loaded: its fields start from the settings as they stand.
            <SurveySettingsForm
              key={`${teamId}:${JSON.stringify(loaded.settings)}`}
              teamId={teamId}
              teamName={team.name}
              settings={loaded.settings}
              defaults={defaults}
              channels={channels}
              onEdit={() => setSaved(false)}
              onSaved={() => setSaved(true)}
            />
          ) : (
            !error && <p className="muted">Loading…</p>
          )}
        </>
      )}
      <p role="status" className="muted">
        {isSaved ? 'Saved.' : ''}
      </p>
    </section>
  )
}
