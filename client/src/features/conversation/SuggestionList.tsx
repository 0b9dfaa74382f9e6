import { useEffect } from 'react'
import type { ComposerPicker } from './useComposerPicker'

/**
 * The composer's open picker as a listbox. Focus stays in the text box, which points at the active option
 * (aria-activedescendant); a click chooses too, without taking focus from the text box.
 */
export function SuggestionList({ picker }: { picker: ComposerPicker }) {
  const activeId = picker.optionId(picker.activeIndex)
  useEffect(() => {
    document.getElementById(activeId)?.scrollIntoView?.({ block: 'nearest' })
  }, [activeId])

  return (
    <ul className="suggestions" role="listbox" id={picker.listId} aria-label={picker.label}>
      {picker.options.length === 0 && picker.isLoading ? (
        <li className="suggestion muted" role="option" aria-selected="false" aria-disabled="true">
          Loading…
        </li>
      ) : (
        picker.options.map((option, index) => (
          <li
            key={option.id}
            id={picker.optionId(index)}
            role="option"
            aria-selected={index === picker.activeIndex}
            className={index === picker.activeIndex ? 'suggestion active' : 'suggestion'}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => picker.choose(index)}
          >
            <span className="suggestion-primary">{option.primary}</span>
            <span className="suggestion-secondary">{option.secondary}</span>
          </li>
        ))
      )}
    </ul>
  )
}
