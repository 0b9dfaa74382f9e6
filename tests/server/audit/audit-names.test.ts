import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { auditActionLabel, auditActionLabels, type AuditEntry, type AuditFacets } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordAudit } from '../../../server/src/audit/audit.repository.js'
import { repoRoot } from '../../../server/src/config.js'
import type { AppContext } from '../../../server/src/context.js'
import { buildTestApp } from '../../support/app.js'
import { signIn, signedInAs, type SignedIn } from '../../support/auth.js'
import { createTestContext } from '../../support/context.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let ctx: AppContext
let app: FastifyInstance
let admin: SignedIn
let adminName: string
let channelId: string
let teamId: string
let conversationId: string
let tokenId: string

const system = { userId: null, tokenId: null, ip: null, userAgent: 'test' }

async function audit(query = ''): Promise<AuditEntry[]> {
  const response = await app.inject({ method: 'GET', url: `/api/audit${query}`, headers: admin.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ items: AuditEntry[] }>().items
}

beforeAll(async () => {
  database = await createTestDatabase()
  ctx = createTestContext(database)
  app = await buildTestApp(ctx)
  admin = await signedInAs(ctx, app, 'admin')
  adminName = (await ctx.db.selectFrom('users').select('name').where('id', '=', admin.userId).executeTakeFirstOrThrow()).name

  teamId = (await app.inject({ method: 'POST', url: '/api/teams', headers: admin.headers, payload: { name: 'Returns desk' } })).json<{ id: string }>().id
  await app.inject({ method: 'PATCH', url: `/api/teams/${teamId}`, headers: admin.headers, payload: { name: 'Returns & refunds' } })
  const channel = await app.inject({
    method: 'POST',
    url: '/api/channels',
    headers: admin.headers,
    payload: {
      kind: 'telegram',
      name: 'Acme Telegram bot',
      externalId: '7000000501',
      settings: { mode: 'polling', apiBaseUrl: 'http://127.0.0.1:9/telegram' },
      secrets: { botToken: '7000000501:AAaudit' },
    },
  })
  channelId = channel.json<{ id: string }>().id
  const token = await app.inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload: { name: 'CRM sync', scopes: ['audit:read'] } })
  tokenId = token.json<{ token: { id: string } }>().token.id

  // A conversation with a customer, and an entry about it as the inbox's actions write them.
  const now = ctx.clock.now()
  const contact = await ctx.db.insertInto('contacts').values({ name: 'Ana Souza', firstSeenAt: now, lastSeenAt: now }).returning('id').executeTakeFirstOrThrow()
  const channelTeam = await ctx.db.selectFrom('channels').select('teamId').where('id', '=', channelId).executeTakeFirstOrThrow()
  conversationId = (
    await ctx.db
      .insertInto('conversations')
      .values({ channelId, teamId: channelTeam.teamId, threadKey: 'dm:58210001', kind: 'dm', contactId: contact.id, lastMessageAt: now })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  await recordAudit(ctx.db, {
    action: 'conversation.status_changed',
    actor: { userId: admin.userId, tokenId: null, ip: '127.0.0.1', userAgent: 'test' },
    target: { type: 'conversation', id: conversationId },
    details: { from: 'open', to: 'resolved' },
  })
  // A channel deleted since: its entry keeps the name it recorded.
  await recordAudit(ctx.db, { action: 'channel.created', actor: system, target: { type: 'channel', id: crypto.randomUUID() }, details: { name: 'Old page' } })
  await signIn(app, 'nobody@example.test', 'wrong password').catch(() => undefined)
})
afterAll(async () => {
  await app.close()
  await database.drop()
})

describe('GET /api/audit', () => {
  it('names who did it and the target as it is called now, with the action in words, keeping the ids', async () => {
    const items = await audit()

    const byAction = (action: string) => items.find((entry) => entry.action === action)!
    expect(byAction('team.renamed')).toMatchObject({
      actionLabel: 'Team renamed',
      actor: { kind: 'user', id: admin.userId, name: adminName },
      targetType: 'team',
      targetId: teamId,
      targetName: 'Returns & refunds',
    })
    expect(items.find((entry) => entry.action === 'channel.created' && entry.targetId === channelId)).toMatchObject({
      actionLabel: 'Channel connected',
      targetName: 'Acme Telegram bot',
    })
    expect(byAction('token.created')).toMatchObject({ actionLabel: 'API token created', targetId: tokenId, targetName: 'CRM sync' })
    expect(byAction('conversation.status_changed')).toMatchObject({ targetId: conversationId, targetName: 'Ana Souza' })
    expect(items.find((entry) => entry.action === 'channel.created' && entry.targetId !== channelId)).toMatchObject({
      actor: { kind: 'system' },
      targetName: 'Old page',
    })
  })

  it('filters by who did it: a person, or no one signed in', async () => {
    const byAdmin = await audit(`?actor=${admin.userId}`)
    const bySystem = await audit('?actor=system')

    expect(byAdmin.length).toBeGreaterThan(0)
    expect(byAdmin.every((entry) => entry.actor.kind === 'user' && entry.actor.id === admin.userId)).toBe(true)
    expect(bySystem.map((entry) => entry.action).sort()).toEqual(['auth.login_failed', 'channel.created'])
  })

  it('finds words in the action’s label, its code, or the target’s name', async () => {
    // The team is called that now: its creation, under its first name, is found too.
    expect((await audit('?q=refunds')).map((entry) => entry.action)).toEqual(['team.renamed', 'team.created'])
    expect((await audit('?q=ana%20souza')).map((entry) => entry.action)).toEqual(['conversation.status_changed'])
    expect((await audit('?q=sign-in')).map((entry) => entry.action)).toEqual(['auth.login_failed'])
    expect((await audit('?q=login_failed')).map((entry) => entry.action)).toEqual(['auth.login_failed'])
    // LIKE's wildcards are the words' own characters.
    expect(await audit('?q=%25')).toEqual([])
  })

  it('filters by action and by a range of time, the end left out', async () => {
    const renamed = await audit('?action=team.renamed')
    const at = renamed[0]!.at

    expect(renamed).toHaveLength(1)
    expect((await audit(`?action=team.renamed&from=${encodeURIComponent(at)}`)).map((entry) => entry.id)).toEqual([renamed[0]!.id])
    expect(await audit(`?action=team.renamed&to=${encodeURIComponent(at)}`)).toEqual([])
    expect(await audit(`?from=${encodeURIComponent('2099-01-01T00:00:00.000Z')}`)).toEqual([])
  })

  it('answers 400 for a filter it cannot read', async () => {
    for (const query of ['?actor=somebody', '?from=yesterday', `?q=${'x'.repeat(101)}`]) {
      const response = await app.inject({ method: 'GET', url: `/api/audit${query}`, headers: admin.headers })
      expect(response.statusCode, query).toBe(400)
      expect(response.json().error.code).toBe('validation_failed')
    }
  })
})

describe('GET /api/audit/facets', () => {
  it('offers every person and token, and every known or recorded action by its label', async () => {
    await recordAudit(ctx.db, { action: 'surveys.newly_invented', actor: system })

    const response = await app.inject({ method: 'GET', url: '/api/audit/facets', headers: admin.headers })

    const facets = response.json<AuditFacets>()
    expect(facets.actors).toEqual(
      expect.arrayContaining([
        { kind: 'user', id: admin.userId, name: adminName, email: expect.any(String) },
        { kind: 'token', id: tokenId, name: 'CRM sync' },
      ]),
    )
    expect(facets.actions).toEqual(
      expect.arrayContaining([
        { action: 'team.renamed', label: 'Team renamed' },
        { action: 'surveys.newly_invented', label: 'Surveys: newly invented' },
      ]),
    )
    expect(facets.actions.length).toBeGreaterThanOrEqual(Object.keys(auditActionLabels).length)
  })
})

describe('auditActionLabels', () => {
  /** The actions the server's `recordAudit` calls write, read from its sources: literals, and the prefix of a template. */
  function recordedActions(): { literals: string[]; prefixes: string[] } {
    const literals = new Set<string>()
    const prefixes = new Set<string>()
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && node.expression.getText() === 'recordAudit') {
        const record = node.arguments[1]
        const action =
          record && ts.isObjectLiteralExpression(record)
            ? record.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'action')
            : undefined
        // The values the expression can take: a literal, either branch of a condition, a template's fixed start.
        const collect = (expression: ts.Expression): void => {
          if (ts.isStringLiteral(expression)) literals.add(expression.text)
          else if (ts.isTemplateExpression(expression)) prefixes.add(expression.head.text)
          else if (ts.isConditionalExpression(expression)) [expression.whenTrue, expression.whenFalse].forEach(collect)
          else if (ts.isParenthesizedExpression(expression)) collect(expression.expression)
        }
        if (action) collect(action.initializer)
      }
      ts.forEachChild(node, visit)
    }
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(file)
        else if (file.endsWith('.ts')) visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true))
      }
    }
    walk(path.join(repoRoot, 'server', 'src'))
    return { literals: [...literals].sort(), prefixes: [...prefixes].sort() }
  }

  it('has a label for every action the server records', () => {
    const { literals, prefixes } = recordedActions()

    expect(literals.length).toBeGreaterThan(40)
    expect(literals.filter((action) => !auditActionLabels[action])).toEqual([])
    expect(prefixes.filter((prefix) => !Object.keys(auditActionLabels).some((action) => action.startsWith(prefix)))).toEqual([])
  })

  it('reads an action it does not know from its code', () => {
    expect(auditActionLabel('team.renamed')).toBe('Team renamed')
    expect(auditActionLabel('sla_policy.archived_early')).toBe('Sla policy: archived early')
  })
})
