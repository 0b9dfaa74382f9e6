import type { LinkInfo } from '@carebox/shared'
import { useEffect, useState } from 'react'
import { useStore } from '../../store/store'
import { AuthLayout } from './AuthLayout'
import { LinkForm } from './LinkForm'

/** `/join/:token`: an invitation, a password reset or the first admin's setup, each a single-use link. */
export function LinkPage({ token }: { token: string }) {
  const loadLink = useStore((s) => s.loadLink)
  const navigate = useStore((s) => s.navigate)
  const [link, setLink] = useState<{ token: string; info: LinkInfo | null; error: string | null } | null>(null)

  useEffect(() => {
    let isCurrent = true
    void loadLink(token).then((outcome) => {
      if (!isCurrent) return
      setLink(outcome.ok ? { token, info: outcome.value, error: null } : { token, info: null, error: outcome.error })
    })
    return () => {
      isCurrent = false
    }
  }, [token, loadLink])

  if (link?.token !== token) {
    return (
      <AuthLayout>
        <p className="muted" role="status">
          Checking your link…
        </p>
      </AuthLayout>
    )
  }
  if (!link.info) {
    return (
      <AuthLayout>
        <h1>This link can’t be used</h1>
        <p role="alert" className="error">
          {link.error}
        </p>
        <a
          href="/login"
          onClick={(e) => {
            e.preventDefault()
            navigate('/login')
          }}
        >
          Go to sign-in
        </a>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout>
      <LinkForm token={token} info={link.info} />
    </AuthLayout>
  )
}
