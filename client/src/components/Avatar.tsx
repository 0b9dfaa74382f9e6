/** A person's initials in a circle (never a picture: nothing is loaded from elsewhere). */
export function Avatar({ name, label }: { name: string; label?: string }) {
  return (
    <span className="avatar" title={label ?? name} aria-label={label ?? name} role="img">
      {initialsOf(name)}
    </span>
  )
}

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0], words.at(-1)] : words.slice(0, 1)
  return (
    letters
      .map((word) => Array.from(word ?? '')[0] ?? '')
      .join('')
      .toUpperCase() || '?'
  )
}
