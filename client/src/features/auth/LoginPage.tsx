import { useState, type FormEvent } from 'react'
import { useStore } from '../../store/store'
import { AuthLayout } from './AuthLayout'

export function LoginPage() {
  const signIn = useStore((s) => s.signIn)
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [isSubmitting, setSubmitting] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setSubmitting(true)
    setError(null)
    // On success the console replaces this page, so only a failure needs the form back.
    const failure = await signIn(email.trim(), password)
    if (failure) {
      setError(failure)
      setSubmitting(false)
    }
  }

  return (
    <AuthLayout>
      <form className="auth-form" onSubmit={(e) => void submit(e)} aria-labelledby="login-heading">
        <h1 id="login-heading">Sign in</h1>
        <label>
          Email
          <input type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={254} />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
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
          Sign in
        </button>
        <p className="muted">Forgot your password? Ask an admin for a reset link.</p>
      </form>
    </AuthLayout>
  )
}
