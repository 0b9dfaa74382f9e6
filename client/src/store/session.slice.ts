import { authApi, hasRole, type LinkInfo, type Role, type Session } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { ApiError, call } from '../api/http'
import type { Outcome } from './outcome'
import type { AppState } from './store'

export type SessionStatus = 'loading' | 'signedOut' | 'signedIn'

export interface SessionSlice {
  session: Session | null
  sessionStatus: SessionStatus
  /** Asks the server who is signed in: at start, and when the live connection was closed by the server. */
  loadSession(): Promise<void>
  /** Resolves with an error message to show, or null once signed in. */
  signIn(email: string, password: string): Promise<string | null>
  signOut(): Promise<void>
  /** What a single-use link is for (invite, password reset, first admin). */
  loadLink(token: string): Promise<Outcome<LinkInfo>>
  /** Uses the link and signs in with the session it answers; resolves with an error message, or null. */
  acceptLink(token: string, input: { name?: string; password: string }): Promise<string | null>
  /** Starts the console for a session the server answered (sign-in, a used link, or a session check). */
  startSession(session: Session): void
  /** The session is over: back to the sign-in page, keeping the URL to return to. */
  endSession(): void
}

/** The signed-in user's role, or null when signed out. */
export const selectRole = (s: AppState): Role | null => s.session?.user.role ?? null

/** Whether the signed-in user holds at least `required`. Only for hiding: the server enforces every rule. */
export const selectHasRole =
  (required: Role) =>
  (s: AppState): boolean =>
    s.session !== null && hasRole(s.session.user.role, required)

function signInError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'unauthorized') return 'Email or password is wrong.'
  return (error as Error).message
}

function linkError(error: unknown): string {
  // A link's secret that is malformed, unknown, used or expired all answer the same: say so plainly.
  if (error instanceof ApiError && ['not_found', 'validation_failed', 'bad_request', 'conflict', 'unauthorized'].includes(error.code)) {
    return 'This link is unknown, already used or expired. Ask an admin for a new one.'
  }
  return (error as Error).message
}

// One session check at a time: StrictMode and a reconnect storm would otherwise ask several times over.
let pendingLoad: Promise<void> | null = null

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set, get, api) => {
  /** Every slice's initial data except the URL: what one user loaded must not outlive their session. */
  const initialData = (): Partial<AppState> => {
    const { path: _path, ...data } = api.getInitialState()
    return data
  }

  return {
    session: null,
    sessionStatus: 'loading',
    loadSession() {
      pendingLoad ??= call(authApi.me)
        .then(
          (session) => get().startSession(session),
          (error: unknown) => {
            if (error instanceof ApiError && error.status === 401) get().endSession()
            // Unreachable or failing server: a console already signed in stays as it is and retries.
            else if (get().sessionStatus === 'loading') set({ sessionStatus: 'signedOut' })
          },
        )
        .finally(() => {
          pendingLoad = null
        })
      return pendingLoad
    },
    async signIn(email, password) {
      try {
        get().startSession(await call(authApi.login, { body: { email, password } }))
        return null
      } catch (error) {
        return signInError(error)
      }
    },
    async signOut() {
      try {
        await call(authApi.logout)
      } catch {
        // A session that already ended server-side is signed out all the same.
      }
      get().endSession()
      get().replacePath('/login')
    },
    async loadLink(token) {
      try {
        return { ok: true, value: await call(authApi.link, { params: { token } }) }
      } catch (error) {
        return { ok: false, error: linkError(error) }
      }
    },
    async acceptLink(token, input) {
      try {
        get().startSession(await call(authApi.acceptLink, { params: { token }, body: input }))
        get().replacePath('/')
        return null
      } catch (error) {
        return error instanceof ApiError && error.code === 'validation_failed' ? error.message : linkError(error)
      }
    },
    startSession(session) {
      const isSameUser = get().session?.user.id === session.user.id
      set({ ...(isSameUser ? {} : initialData()), session, sessionStatus: 'signedIn' })
      if (get().path === '/login') get().replacePath('/')
    },
    endSession() {
      set({ ...initialData(), session: null, sessionStatus: 'signedOut' })
    },
  }
}
