import { Tag } from '@carebox/shared'
import { useState, type KeyboardEvent } from 'react'
import './tags-editor.css'

const maxTagLength = Tag.maxLength ?? 40
const maxTags = 20

/** What a typed tag becomes: lower-case, with runs of spaces and commas as one dash. */
export function normalizeTag(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s,]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** Tags as removable chips, and a box to add one (Enter or comma adds it). */
export function TagsEditor({ tags, label, inputLabel, onChange }: { tags: string[]; label: string; inputLabel: string; onChange: (tags: string[]) => void }) {
  const [text, setText] = useState('')
  const add = () => {
    const tag = normalizeTag(text)
    setText('')
    if (tag && !tags.includes(tag)) onChange([...tags, tag])
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' && event.key !== ',') return
    event.preventDefault()
    add()
  }
  return (
    <div className="tags-editor" role="group" aria-label={label}>
      {tags.length > 0 && (
        <ul className="tag-chips">
          {tags.map((tag) => (
            <li key={tag} className="tag tag-chip">
              <span>{tag}</span>
              <button type="button" className="tag-remove" aria-label={`Remove tag ${tag}`} onClick={() => onChange(tags.filter((t) => t !== tag))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {tags.length < maxTags && (
        <input
          className="tag-input"
          aria-label={inputLabel}
          placeholder="Add tag"
          maxLength={maxTagLength}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
      )}
    </div>
  )
}
