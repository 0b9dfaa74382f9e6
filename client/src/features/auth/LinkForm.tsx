import { roleLabels, type LinkInfo } from '@carebox/shared'
import { useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'

const minPasswordLength = 10

const copy: Record<LinkInfo['kind'], { heading: string; submit: string }> = {
  invite: { heading: 'Join Carebox', submit: 'Join' },
  reset: { heading: 'Choose a new password', submit: 'Save password' },
  setup: { heading: 'Create the first admin', submit: 'Create admin' },
}

function intro(info: LinkInfo): string {
  switch (info.kind) {
    case 'invite':
      return `You're invited as ${roleLabels[info.role]} (${info.email}).`
    case 'reset':
      return `For ${info.email}.`
    case 'setup':
      return `This account (${info.email}) manages Carebox: channels, users, teams and tokens.`
  }
}

function passwordProblem(password: string, confirmation: string): string | null {
  if (password.length < minPasswordLength) return `Use at least ${minPasswordLength} characters.`
  if (password !== confirmation) return 'The two passwords don’t match.'
  return null
}

export function LinkForm({ token, info }: { token: string; info: LinkInfo }) {
  const acceptLink = useStore((s) => s.acceptLink)
  const asksName = info.kind !== 'reset'
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [isSubmitting, setSubmitting] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const problem = passwordProblem(password, confirmation)
    if (problem) {
      setError(problem)
      return
    }
    setSubmitting(true)
    setError(null)
    // On success the session starts and the console replaces this page.
    const failure = await acceptLink(token, { ...(asksName && { name: name.trim() }), password })
    if (failure) {
      setError(failure)
      setSubmitting(false)
    }
  }

  return (
    <form className="auth-form" onSubmit={(e) => void submit(e)} aria-labelledby="link-heading">
      <h1 id="link-heading">{copy[info.kind].heading}</h1>
      <p>{intro(info)}</p>
      <label>
        Email
        <input type="email" name="email" autoComplete="username" value={info.email} readOnly />
      </label>
      {asksName && (
        <label>
          Your name
          <input name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
        </label>
      )}
      <label>
        {info.kind === 'reset' ? 'New password' : 'Password'}
        <input
          type="password"
          name="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={minPasswordLength}
          maxLength={200}
          aria-describedby="password-hint"
        />
      </label>
      <span id="password-hint" className="muted">
        At least {minPasswordLength} characters.
      </span>
      <label>
        Repeat the password
        <input
          type="password"
          name="confirm-password"
          autoComplete="new-password"
          value={confirmation}
          onChange={(e) => setConfirmation(e.target.value)}
          required
          maxLength={200}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={isSubmitting} aria-busy={isSubmitting}>
        {copy[info.kind].submit}
      </button>
    </form>
  )
}
