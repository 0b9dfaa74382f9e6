/** Every keyboard shortcut of the inbox, as the help dialog lists them. */
export const shortcuts: readonly { keys: string; does: string }[] = [
  { keys: 'j', does: 'Next conversation in the list' },
  { keys: 'k', does: 'Previous conversation in the list' },
  { keys: 'Enter', does: 'Open the selected conversation' },
  { keys: 'x', does: 'Tick or untick the selected conversation, for a bulk action' },
  { keys: 'r', does: 'Write a reply' },
  { keys: 'n', does: 'Write a private note' },
  { keys: 'e', does: 'Resolve the conversation and open the next one' },
  { keys: 'a', does: 'Assign the conversation to me' },
  { keys: 's', does: 'Snooze the conversation for 1 hour' },
  { keys: 'f', does: 'Schedule a follow-up: when the conversation comes back, with a note and maybe a message' },
  { keys: 'Ctrl+Enter', does: 'Send the reply or note (⌘+Enter on a Mac)' },
  { keys: 'Ctrl+Shift+Enter', does: 'Send the reply, resolve the conversation and open the next one (⌘+Shift+Enter on a Mac)' },
  { keys: '/', does: 'In a reply: pick a canned reply (↑/↓, then Enter or Tab)' },
  { keys: '@', does: 'In a note: mention a teammate (↑/↓, then Enter or Tab)' },
  { keys: 'Escape', does: 'Close a picker or this dialog, or leave the text box' },
  { keys: '?', does: 'Show or hide this list' },
]
