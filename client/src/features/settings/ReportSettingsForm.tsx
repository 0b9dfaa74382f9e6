import { costInputSources, defaultCostSettings, defaultSurgeSettings, type ReportSettings } from '@carebox/shared'
import { useId, useMemo, type ReactNode } from 'react'
import { useStore } from '../../store/store'
import { FormFooter } from './FormFooter'
import {
  costInputLabels,
  costInputs,
  defaultReportSettings,
  isMoneyInput,
  limitsOf,
  surgeInputHelp,
  surgeInputLabels,
  surgeInputs,
  type CostInput,
  type SurgeInput,
} from './report-settings-fields'
import { useEditForm } from './useEditForm'

type Fields = Record<CostInput | SurgeInput | 'currency', string>

function fieldsOf(settings: ReportSettings): Fields {
  const fields = { currency: settings.cost.currency } as Fields
  for (const input of costInputs) fields[input] = String(settings.cost[input])
  for (const input of surgeInputs) fields[input] = String(settings.surge[input])
  return fields
}

function numberOf(input: CostInput | SurgeInput, label: string, text: string): number | { error: string } {
  const { minimum, maximum, isInteger } = limitsOf(input)
  const value = text.trim() === '' ? Number.NaN : Number(text)
  const kind = isInteger ? 'a whole number' : 'a number'
  if (!Number.isFinite(value) || value < minimum || value > maximum || (isInteger && !Number.isInteger(value))) {
    return { error: `${label} must be ${kind} from ${minimum} to ${maximum}.` }
  }
  return value
}

/** The settings the fields make, or the first thing wrong with them (the same limits the server checks). */
function draftOf(fields: Fields): ReportSettings | { error: string } {
  const currency = fields.currency.trim().toUpperCase()
  if (!/^[A-Z]{3}$/.test(currency)) return { error: 'Currency must be a three-letter code, such as USD or EUR.' }
  const cost = { ...defaultCostSettings, currency }
  for (const input of costInputs) {
    const value = numberOf(input, costInputLabels[input], fields[input])
    if (typeof value !== 'number') return value
    cost[input] = value
  }
  const surge = { ...defaultSurgeSettings }
  for (const input of surgeInputs) {
    const value = numberOf(input, surgeInputLabels[input], fields[input])
    if (typeof value !== 'number') return value
    surge[input] = value
  }
  return { cost, surge }
}

const draftKeys = ['cost', 'surge'] as const

function defaultText(input: CostInput | SurgeInput): string {
  if (input in defaultSurgeSettings) return String(defaultSurgeSettings[input as SurgeInput])
  const value = defaultCostSettings[input as CostInput]
  return isMoneyInput(input as CostInput) ? `${defaultCostSettings.currency} ${value.toFixed(2)}` : String(value)
}

/** One input, with its default and what the default rests on beneath it (read as its description, not its name). */
function Field({ label, note, children }: { label: string; note: string; children: (ids: { inputId: string; noteId: string }) => ReactNode }) {
  const inputId = useId()
  const noteId = useId()
  return (
    <div className="report-field">
      <label htmlFor={inputId}>{label}</label>
      {children({ inputId, noteId })}
      <span id={noteId} className="report-input-note">
        {note}
      </span>
    </div>
  )
}

function NumberField({
  input,
  label,
  note,
  fields,
  canEdit,
  onChange,
}: {
  input: CostInput | SurgeInput
  label: string
  note: string
  fields: Fields
  canEdit: boolean
  onChange: (value: string) => void
}) {
  const { minimum, maximum, isInteger } = limitsOf(input)
  return (
    <Field label={label} note={`Default ${defaultText(input)}. ${note}`}>
      {({ inputId, noteId }) => (
        <input
          id={inputId}
          type="number"
          inputMode="decimal"
          min={minimum}
          max={maximum}
          step={isInteger ? 1 : 'any'}
          value={fields[input]}
          readOnly={!canEdit}
          aria-describedby={noteId}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  )
}

/**
 * The cost inputs and surge thresholds: admins change them, leads read them. Each input shows its default and
 * where that default comes from.
 */
export function ReportSettingsForm({ settings, canEdit, onSaved }: { settings: ReportSettings; canEdit: boolean; onSaved: () => void }) {
  const save = useStore((s) => s.saveReportSettings)
  const initial = useMemo(() => fieldsOf(settings), [settings])
  const { fields, setFields, set, error, isSaving, submit } = useEditForm({
    initial,
    editingId: 'reports',
    draftOf,
    keys: draftKeys,
    create: save,
    // The contract takes the settings whole: what did not change goes as it stands.
    update: (_id, changes) => save({ ...settings, ...changes }),
    onDone: onSaved,
  })

  return (
    <form className="settings-form report-settings-form" noValidate onSubmit={(e) => void submit(e)} aria-label="Report settings">
      <fieldset className="report-settings-group">
        <legend>Cost inputs</legend>
        <Field label="Currency" note={`Default ${defaultCostSettings.currency}. The currency of every amount below.`}>
          {({ inputId, noteId }) => (
            <input
              id={inputId}
              value={fields.currency}
              readOnly={!canEdit}
              maxLength={3}
              aria-describedby={noteId}
              onChange={(e) => set('currency', e.target.value)}
            />
          )}
        </Field>
        {costInputs.map((input) => (
          <NumberField
            key={input}
            input={input}
            label={costInputLabels[input]}
            note={costInputSources[input]}
            fields={fields}
            canEdit={canEdit}
            onChange={(value) => set(input, value)}
          />
        ))}
      </fieldset>
      <fieldset className="report-settings-group">
        <legend>Surge thresholds</legend>
        {surgeInputs.map((input) => (
          <NumberField
            key={input}
            input={input}
            label={surgeInputLabels[input]}
            note={surgeInputHelp[input]}
            fields={fields}
            canEdit={canEdit}
            onChange={(value) => set(input, value)}
          />
        ))}
      </fieldset>
      {canEdit && (
        <>
          <div className="report-settings-wide">
            <button type="button" className="link" onClick={() => setFields(fieldsOf(defaultReportSettings))}>
              Fill in the defaults
            </button>
          </div>
          <FormFooter error={error} errorClassName="report-settings-wide" isSaving={isSaving} submitLabel="Save" onCancel={() => setFields(initial)} />
        </>
      )}
    </form>
  )
}
