/** Picks any number of fixed choices; none picked means the caller's "any". */
export function ChoiceCheckboxes<T extends string>({
  legend,
  choices,
  labels,
  selected,
  onChange,
}: {
  legend: string
  choices: readonly T[]
  labels: Record<T, string>
  selected: readonly T[]
  onChange: (selected: T[]) => void
}) {
  // Kept in the order of `choices`, so what is sent does not depend on the order of the clicks.
  const toggle = (choice: T, isChecked: boolean) => onChange(choices.filter((c) => (c === choice ? isChecked : selected.includes(c))))
  return (
    <fieldset className="checkbox-list">
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={choice}>
          <input type="checkbox" checked={selected.includes(choice)} onChange={(e) => toggle(choice, e.target.checked)} />
          {labels[choice]}
        </label>
      ))}
    </fieldset>
  )
}
