import type { Teammate } from '@carebox/shared'
import type { ConversationDrafts } from './drafts.slice'

/** What the server keeps of a conversation's drafts: one text and the mode it was written in. */
export interface DraftToSave {
  text: string
  mode: 'reply' | 'note'
}

/**
 * The server keeps one draft per conversation: the one being written, or else the other one if it has text.
 * An empty text deletes it.
 */
export function draftToSave(drafts: ConversationDrafts): DraftToSave {
  const other = drafts.mode === 'reply' ? 'note' : 'reply'
  if (drafts[drafts.mode].text.trim() !== '') return { text: drafts[drafts.mode].text, mode: drafts.mode }
  if (drafts[other].text.trim() !== '') return { text: drafts[other].text, mode: other }
  return { text: '', mode: drafts.mode }
}

/** Whether saving `wanted` would change what the server holds (`saved` null: nothing). */
export function isSameDraft(wanted: DraftToSave, saved: DraftToSave | null): boolean {
  if (!saved) return wanted.text.trim() === ''
  return wanted.text === saved.text && wanted.mode === saved.mode
}

/** The teammates picked with @ whose "@Name" is still in the text: mentioning someone and deleting it mentions no one. */
export function mentionIdsIn(text: string, picked: Teammate[]): string[] {
  return [...new Set(picked.filter((t) => text.includes(`@${t.name}`)).map((t) => t.id))].slice(0, 20)
}
