import type { ReactNode } from 'react'

/** The frame of the pages shown before the console: sign-in and single-use links. */
export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-brand" aria-label="Carebox">
          <span className="shell-logo" aria-hidden="true">
            C
          </span>
          <span>Carebox</span>
        </div>
        {children}
      </div>
    </main>
  )
}
