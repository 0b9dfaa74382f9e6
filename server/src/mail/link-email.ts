import { roleLabels, type Role } from '@carebox/shared'
import { oneLine, renderEmail, utcText, type Email } from './email-text.js'

export interface LinkEmailFacts {
  kind: string
  email: string
  role: Role
  teamNames: string[]
  expiresAt: Date
  inviterName: string | null
  url: string
}

/** The invitation or password-reset email for a single-use link; null for a kind never emailed (the first admin's). */
export function composeLinkEmail(link: LinkEmailFacts): Email | null {
  const expiry = `The link works once and expires on ${utcText(link.expiresAt)}.`
  if (link.kind === 'invite') {
    const who = link.inviterName ? oneLine(link.inviterName) : 'An admin'
    const teams =
      link.role === 'admin'
        ? 'As an admin you see every team.'
        : link.teamNames.length > 0
          ? `Your teams: ${link.teamNames.join(', ')}.`
          : 'You are in no team yet, so you will see no conversations until an admin adds you to one.'
    return renderEmail(link.email, 'You are invited to Carebox', [
      { kind: 'paragraph', text: `${who} invited you to Carebox, where the team answers customers, as ${roleLabels[link.role].toLowerCase()}. ${teams}` },
      { kind: 'link', label: 'Choose your name and password', url: link.url },
      { kind: 'small', text: `${expiry} If you did not expect this invitation, you can ignore this email.` },
    ])
  }
  if (link.kind === 'reset') {
    return renderEmail(link.email, 'Choose a new Carebox password', [
      { kind: 'paragraph', text: 'An admin reset your Carebox password: the old one no longer works, and you were signed out everywhere.' },
      { kind: 'link', label: 'Choose a new password', url: link.url },
      { kind: 'small', text: `${expiry} If you did not ask for this, tell your admin.` },
    ])
  }
  return null
}
