import { tokensApi, type ApiToken, type TokenScope } from '@carebox/shared'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import { failed, type Outcome } from './outcome'
import type { AppState } from './store'

export interface TokensSlice {
  /** null until first loaded. */
  tokens: ApiToken[] | null
  tokensError: string | null
  loadTokens(): Promise<void>
  /** Resolves with the secret, which the server answers once: it is shown, never stored. */
  createToken(name: string, scopes: TokenScope[]): Promise<Outcome<string>>
  /** Resolves with an error message to show, or null on success. */
  revokeToken(id: string): Promise<string | null>
}

export const createTokensSlice: StateCreator<AppState, [], [], TokensSlice> = (set) => ({
  tokens: null,
  tokensError: null,
  async loadTokens() {
    try {
      const { items } = await call(tokensApi.list)
      set({ tokens: items, tokensError: null })
    } catch (error) {
      set({ tokensError: (error as Error).message })
    }
  },
  async createToken(name, scopes) {
    try {
      const { token, secret } = await call(tokensApi.create, { body: { name, scopes } })
      set((s) => ({ tokens: [token, ...(s.tokens ?? [])] }))
      return { ok: true, value: secret }
    } catch (error) {
      return failed(error)
    }
  },
  async revokeToken(id) {
    try {
      const revoked = await call(tokensApi.revoke, { params: { id } })
      set((s) => ({ tokens: (s.tokens ?? []).map((t) => (t.id === id ? revoked : t)) }))
      return null
    } catch (error) {
      return (error as Error).message
    }
  },
})
