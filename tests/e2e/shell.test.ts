import { createHash } from 'node:crypto'
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort, isProcessRunning } from '../../server/src/db/embedded.js'
import { pngBytes } from '../support/files.js'
import { startProcess, type Started } from '../support/process.js'
import { launchChromium, screenshotDir, withScreenshotOnFailure } from './browser.js'

let dataDir: string
let carebox: Started
let url: string
let browser: Browser
/** The demo users' password, printed under the ready line. */
let demoPassword: string

/** A fresh browser (no cookies) signed in through the sign-in page, as a person would. */
async function signedInPage(email: string, password = demoPassword): Promise<Page> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(url)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor()
  // An agent starts on Mine; these journeys watch the team's new conversations, which arrive unassigned.
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: /^All open/ })
    .click()
  // The click leaves the view button focused, where Enter would press it again instead of opening a conversation.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  return page
}

async function closePage(page: Page): Promise<void> {
  await page.context().close()
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-e2e-'))
  await chmod(dataDir, 0o755)
  const port = await findFreePort()
  // Started exactly as the README says, with only the port and data directory moved aside.
  carebox = startProcess('pnpm', ['start'], { PORT: String(port), CAREBOX_DATA_DIR: dataDir })
  ;[, url = ''] = await carebox.waitFor(/Carebox is ready: open (\S+)/, 180_000)
  ;[, demoPassword = ''] = await carebox.waitFor(/Demo sign-in \(password (\S+) for each\)/)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  const isRunning = carebox && carebox.child.exitCode === null && carebox.child.signalCode === null
  if (isRunning) process.kill(-(carebox.child.pid as number), 'SIGKILL')
  await rm(dataDir, { recursive: true, force: true })
})

describe('the console shell, started with pnpm start', () => {
  it('asks a visitor to sign in, and says so when the password is wrong', async () => {
    const page = await browser.newPage()

    await withScreenshotOnFailure(page, 'sign-in', async () => {
      await page.goto(`${url}/settings/channels`)
      await page.getByLabel('Email').fill('admin@demo.carebox.test')
      await page.getByLabel('Password').fill('not the password')
      await page.getByRole('button', { name: 'Sign in' }).click()

      await page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor()
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0)
      expect((await page.request.get(`${url}/api/conversations`)).status()).toBe(401)
    })
    await page.close()
  })

  it('serves the production build of the console, even when started from the test runner', async () => {
    const html = await (await fetch(url)).text()
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1]
    expect(script).toBeDefined()
    const bundle = await (await fetch(new URL(script as string, url))).text()
    // React's development build names itself in its warnings; the production build has none of them.
    expect(bundle).not.toContain('Each child in a list should have a unique')
    expect(bundle.length).toBeGreaterThan(10_000)
  })

  it('renders the inbox with its navigation for an admin', async () => {
    const page = await signedInPage('admin@demo.carebox.test')

    await withScreenshotOnFailure(page, 'shell-inbox', async () => {
      const nav = page.getByRole('navigation', { name: 'Main' })

      expect(await nav.getByRole('link').allInnerTexts()).toEqual([
        expect.stringContaining('Inbox'),
        expect.stringContaining('Dashboard'),
        expect.stringContaining('Settings'),
      ])
      expect(await page.getByText('Ada Admin').count()).toBeGreaterThan(0)
    })
    await closePage(page)
  })

  it('shows an agent the inbox only, and the server refuses them the admin API', async () => {
    const page = await signedInPage('agent@demo.carebox.test')

    await withScreenshotOnFailure(page, 'agent-shell', async () => {
      const nav = page.getByRole('navigation', { name: 'Main' })
      expect(await nav.getByRole('link').allInnerTexts()).toEqual([expect.stringContaining('Inbox')])
      // Typing the URL shows nothing admin-only, and the API itself refuses.
      await page.goto(`${url}/settings/users`)
      await page.getByText('Not available').first().waitFor()
      expect((await page.request.get(`${url}/api/users`)).status()).toBe(403)
    })
    await closePage(page)
  })

  it('signs out: back to the sign-in page, and the old session is dead', async () => {
    const page = await signedInPage('lead@demo.carebox.test')

    await withScreenshotOnFailure(page, 'sign-out', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByRole('heading', { name: 'Sign in' }).waitFor()
      expect((await page.request.get(`${url}/api/auth/me`)).status()).toBe(401)
    })
    await closePage(page)
  })

  it('fills the inbox with demo traffic that arrives live, without a reload', async () => {
    const page = await signedInPage('agent@demo.carebox.test')

    await withScreenshotOnFailure(page, 'live-inbox', async () => {
      const items = page.locator('.conversation-item')
      await items.first().waitFor({ timeout: 30_000 })
      const firstMessages = await page.locator('.conversation-item-preview').allInnerTexts()
      const before = await page.evaluate(() => performance.getEntriesByType('navigation').length)

      // A new message moves a conversation to the top, or adds one: wait for the list to change on its own.
      await page.waitForFunction(
        (initial) => {
          const now = [...document.querySelectorAll('.conversation-item-preview')].map((e) => e.textContent)
          return now.length !== initial.length || now.some((text, i) => text !== initial[i])
        },
        firstMessages,
        { timeout: 60_000 },
      )
      await items.first().click()
      await page.getByRole('list', { name: 'Messages' }).locator('li').first().waitFor()

      expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(before)
      await page
        .getByRole('status')
        .filter({ hasText: /^Live$/ })
        .waitFor()
    })
    await closePage(page)
  })

  it('lists the connected channels in Settings with their webhook URL and activity', async () => {
    const page = await signedInPage('admin@demo.carebox.test')

    await withScreenshotOnFailure(page, 'settings-channels', async () => {
      await page.goto(`${url}/settings/channels`)
      const whatsapp = page.getByRole('listitem', { name: 'Acme on WhatsApp' })
      await whatsapp.waitFor()

      expect(await whatsapp.innerText()).toContain(`${url}/webhooks/meta`)
      expect(await page.locator('.channel-row').count()).toBe(7)
    })
    await closePage(page)
  })

  it('shows the embedded database in Settings, reached through the navigation', async () => {
    const page = await signedInPage('admin@demo.carebox.test')

    await withScreenshotOnFailure(page, 'shell-settings', async () => {
      await page.getByRole('link', { name: /Settings/ }).click()
      await page.getByRole('link', { name: 'System' }).click()
      await page.getByText(/PostgreSQL \d+(\.\d+)? \(embedded\)/).waitFor()

      expect(page.url()).toBe(`${url}/settings/system`)
    })
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    await closePage(page)
  })

  it('lets an admin invite someone, who joins through the link and works as an agent', async () => {
    const admin = await signedInPage('admin@demo.carebox.test')
    let link = ''

    await withScreenshotOnFailure(admin, 'invite', async () => {
      await admin.goto(`${url}/settings/users`)
      await admin.getByRole('button', { name: 'Invite someone' }).click()
      const form = admin.getByRole('form', { name: 'Invite someone' })
      await form.getByLabel('Email').fill('new.agent@example.test')
      // An agent sees only their teams' conversations: with none, the form asks for a team (or a confirmation).
      await form.getByLabel('Support').check()
      await form.getByRole('button', { name: 'Create invite link' }).click()
      link = (await admin.locator('.one-time-secret code').innerText()).trim()
      expect(link).toMatch(new RegExp(`^${url}/join/[A-Za-z0-9_-]{43}$`))
    })
    const context = await browser.newContext()
    const invitee = await context.newPage()
    await withScreenshotOnFailure(invitee, 'join', async () => {
      await invitee.goto(link)
      await invitee.getByLabel('Your name').fill('Nia New')
      await invitee.getByLabel('Password', { exact: true }).fill('a long new password')
      await invitee.getByLabel('Repeat the password').fill('a long new password')
      await invitee.getByRole('button', { name: 'Join' }).click()
      await invitee.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor()
      expect(await invitee.getByText('Nia New').count()).toBeGreaterThan(0)
      // The link worked once.
      await invitee.goto(link)
      await invitee.getByRole('alert').first().waitFor()
    })
    await context.close()
    await closePage(admin)
  })

  it('shows hostile customer content as text: no script runs, no javascript: link, no direct media fetch', async () => {
    // A customer writes through the demo's WhatsApp simulator, exactly as the platform would deliver it.
    const simulator = /"simulator":"(http:\/\/[^"]+)"/.exec(carebox.output())?.[1]
    expect(simulator).toBeDefined()
    const written = await fetch(`${simulator}/_sim/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        accountExternalId: '130000000000002',
        message: {
          from: { id: '5511900000666', name: '<img src=x onerror="window.__pwned=1">Mallory' },
          text: '<script>window.__pwned=2</script> javascript:window.__pwned=3 or see https://example.com/help',
          attachments: [{ type: 'image', url: 'http://169.254.169.254/latest/meta-data/' }],
        },
      }),
    })
    expect(written.status).toBe(200)
    const page = await signedInPage('agent@demo.carebox.test')

    await withScreenshotOnFailure(page, 'hostile-content', async () => {
      const item = page.locator('.conversation-item').filter({ hasText: 'onerror' })
      await item.first().waitFor({ timeout: 30_000 })
      await item.first().click()
      const thread = page.getByRole('list', { name: 'Messages' })
      await thread.getByText('<script>window.__pwned=2</script>', { exact: false }).first().waitFor()
      await thread.getByText('Image unavailable').first().waitFor({ timeout: 20_000 })

      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
      expect(await page.locator('.thread script, .conversation-item img, a[href^="javascript:" i]').count()).toBe(0)
      const link = thread.getByRole('link', { name: 'https://example.com/help' })
      expect(await link.getAttribute('rel')).toContain('noopener')
      expect(await link.getAttribute('rel')).toContain('noreferrer')
      const images = await thread.locator('img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src') ?? ''))
      expect(images.every((src) => src.startsWith('/api/messages/'))).toBe(true)
    })
    await closePage(page)
  })

  it('shows a hostile canned reply as text, in Settings and in the composer', async () => {
    const hostile = '<img src=x onerror="window.__pwned=4"><script>window.__pwned=5</script> {{customer.first_name}}'
    const lead = await signedInPage('lead@demo.carebox.test')

    await withScreenshotOnFailure(lead, 'hostile-canned-reply', async () => {
      const status = await lead.evaluate(async (body) => {
        const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string }
        const response = await fetch('/api/canned-replies', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify({ shortcut: 'hostile', title: '<b>Hostile</b>', body, teamId: null }),
        })
        return response.status
      }, hostile)
      expect(status).toBe(200)
      await lead.goto(`${url}/settings/canned-replies`)
      await lead.getByText('<b>Hostile</b>').waitFor()
      expect(await lead.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
      expect(await lead.locator('main img[src="x"], main script').count()).toBe(0)
    })
    await closePage(lead)

    const agent = await signedInPage('agent@demo.carebox.test')
    await withScreenshotOnFailure(agent, 'hostile-canned-in-composer', async () => {
      await agent.locator('.conversation-item').first().waitFor({ timeout: 30_000 })
      await agent.locator('.conversation-item').first().click()
      await agent.keyboard.press('r')
      await agent.keyboard.type('/hostile')
      await agent.getByRole('option', { name: /hostile/ }).waitFor()
      await agent.keyboard.press('Enter')

      expect(await agent.locator('.composer textarea, textarea').first().inputValue()).toContain('<script>window.__pwned=5</script>')
      expect(await agent.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
      expect(await agent.locator('img[src="x"]').count()).toBe(0)
    })
    await closePage(agent)
  })

  it('follows up a WhatsApp customer two days later with a template filled with their order number', async () => {
    const simulator = /"simulator":"(http:\/\/[^"]+)"/.exec(carebox.output())?.[1] as string
    const order = String(Date.now() % 100_000_000)
    const question = `Any news on order ${order}?`
    // The customer wrote two days ago: WhatsApp's 24-hour window has closed.
    const written = await fetch(`${simulator}/_sim/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        accountExternalId: '130000000000002',
        message: { from: { id: `55118${order}`, name: 'Rosa Lima' }, text: question, at: new Date(Date.now() - 2 * 86_400_000).toISOString() },
      }),
    })
    expect(written.status).toBe(200)
    const page = await signedInPage('agent@demo.carebox.test')

    await withScreenshotOnFailure(page, 'template-journey', async () => {
      const search = async () => ((await (await page.request.get(`${url}/api/conversations?view=all&q=${order}`)).json()) as { items: { id: string }[] }).items
      await expect.poll(search, { timeout: 30_000 }).toHaveLength(1)
      const [conversation] = await search()
      await page.goto(`${url}/inbox/${conversation!.id}`)
      await page.locator('.thread').getByText(question).waitFor()

      // The window has closed: the composer says so and offers a template instead of a dead end.
      await page.getByRole('button', { name: 'Send a template' }).click()
      const dialog = page.getByRole('dialog', { name: 'Send a template' })
      await dialog.getByRole('button', { name: 'order_update (en_US)' }).click()
      // The greeting is filled with the customer's first name; the agent adds the order number and the news.
      expect(await dialog.getByLabel('Body {{1}}').inputValue()).toBe('Rosa')
      await dialog.getByLabel('Body {{2}}').fill(order)
      await dialog.getByLabel('Body {{3}}').fill('it left our warehouse today')
      const preview = `Hi Rosa, about your order ${order}: it left our warehouse today`
      await dialog.getByLabel('Preview').getByText(preview).waitFor()
      await page.screenshot({ path: path.join(screenshotDir, 'template-picker.png') })
      await dialog.getByRole('button', { name: 'Send template' }).click()

      await page.locator('.thread').getByText(preview).waitFor()
      await page.locator('.thread').getByText('Template: order_update (en_US)').waitFor()
      // The platform received exactly that template, with the customer's order number.
      await expect
        .poll(
          async () => {
            const { sends } = (await (await fetch(`${simulator}/_sim/sends`)).json()) as { sends: { body: { type?: string; template?: unknown } }[] }
            return sends.filter((s) => s.body.type === 'template' && JSON.stringify(s.body.template).includes(order)).map((s) => s.body.template)
          },
          { timeout: 20_000 },
        )
        .toEqual([
          {
            name: 'order_update',
            language: { code: 'en_US' },
            components: [
              {
                type: 'body',
                parameters: [
                  { type: 'text', text: 'Rosa' },
                  { type: 'text', text: order },
                  { type: 'text', text: 'it left our warehouse today' },
                ],
              },
            ],
          },
        ])
    })
    await closePage(page)
  })

  it('answers the third commenter publicly and the second privately, hides the fourth, and follows the thread up', async () => {
    const simulator = /"simulator":"(http:\/\/[^"]+)"/.exec(carebox.output())?.[1] as string
    const pageId = '104455667788990'
    const token = `p${Date.now() % 100_000_000}`
    const postId = `${pageId}_${Date.now() % 1_000_000_000}`
    const people = ['Ana Souza', 'Ben Okafor', 'Chloé Martin', 'Spam Bot']
    const commentIds: string[] = []
    for (const [i, name] of people.entries()) {
      const written = await fetch(`${simulator}/_sim/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          accountExternalId: pageId,
          message: {
            from: { id: `880000${i}${Date.now() % 1_000_000}`, name },
            text: `${token} comment ${i + 1} from ${name}`,
            kind: 'comment',
            postId,
            at: new Date(Date.now() - (4 - i) * 60_000).toISOString(),
          },
        }),
      })
      commentIds.push(((await written.json()) as { externalId: string }).externalId)
    }
    const page = await signedInPage('agent@demo.carebox.test')
    const sends = async () => ((await (await fetch(`${simulator}/_sim/sends`)).json()) as { sends: { path: string; body: unknown }[] }).sends

    await withScreenshotOnFailure(page, 'comments-journey', async () => {
      const search = async () =>
        ((await (await page.request.get(`${url}/api/conversations?view=all&q=${token}`)).json()) as { items: { id: string; messageCount: number }[] }).items
      await expect.poll(async () => (await search())[0]?.messageCount ?? 0, { timeout: 30_000 }).toBe(4)
      const [conversation] = await search()
      await page.goto(`${url}/inbox/${conversation!.id}`)
      await page.getByRole('article', { name: 'Post' }).waitFor()

      // The third person, publicly, under their own comment.
      await page.getByRole('group', { name: 'Actions on the comment by Chloé Martin' }).getByRole('button', { name: 'Reply', exact: true }).click()
      await page.getByText('Replying to Chloé Martin').waitFor()
      await page.getByRole('textbox', { name: /reply/i }).fill('Chloé, your parcel leaves tomorrow.')
      await page.keyboard.press('Control+Enter')
      await page.locator('.thread').getByText('Chloé, your parcel leaves tomorrow.').waitFor()
      await expect
        .poll(async () => (await sends()).filter((s) => JSON.stringify(s.body).includes('leaves tomorrow')).map((s) => s.path), { timeout: 20_000 })
        .toEqual([expect.stringContaining(`/${commentIds[2]}/comments`)])

      // The second, privately: one Messenger message to that comment's author.
      await page.getByRole('group', { name: 'Actions on the comment by Ben Okafor' }).getByRole('button', { name: 'Reply privately' }).click()
      await page.getByText('Private reply to Ben Okafor').waitFor()
      await page.getByRole('textbox', { name: /reply/i }).fill('Ben, I sent you the return label.')
      await page.keyboard.press('Control+Enter')
      await expect
        .poll(
          async () =>
            (await sends())
              .filter((s) => JSON.stringify(s.body).includes('return label'))
              .map((s) => (s.body as { recipient?: { comment_id?: string } }).recipient?.comment_id),
          { timeout: 20_000 },
        )
        .toEqual([commentIds[1]])

      // The fourth, hidden: queued, then done on the platform.
      await page.getByRole('group', { name: 'Actions on the comment by Spam Bot' }).getByRole('button', { name: 'Hide' }).click()
      await expect
        .poll(
          async () => ((await (await fetch(`${simulator}/_sim/comments/${commentIds[3]}`)).json()) as { comment?: { isHidden?: boolean } }).comment?.isHidden,
          { timeout: 20_000 },
        )
        .toBe(true)
      await page.locator('.thread').getByText('Hidden', { exact: true }).waitFor()
      await page.screenshot({ path: path.join(screenshotDir, 'comments-thread.png') })

      // A follow-up through the dialog, then one due in seconds that brings the resolved thread back with its note.
      await page.getByRole('button', { name: 'Follow up…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Follow up' })
      await dialog.getByRole('group', { name: 'Presets' }).getByRole('button').nth(1).click()
      await dialog.getByLabel('Note for whoever gets it back (optional)').fill('Check Chloé got the parcel')
      await dialog.getByRole('button', { name: 'Schedule follow-up' }).click()
      await page.getByText('Check Chloé got the parcel').first().waitFor()
      await page.screenshot({ path: path.join(screenshotDir, 'follow-up-card.png') })

      const { csrfToken } = (await (await page.request.get(`${url}/api/auth/me`)).json()) as { csrfToken: string }
      const headers = { 'content-type': 'application/json', 'x-csrf-token': csrfToken }
      await page.request.post(`${url}/api/conversations/${conversation!.id}/status`, { data: { status: 'resolved' }, headers })
      const soon = await page.request.post(`${url}/api/conversations/${conversation!.id}/follow-ups`, {
        data: { dueAt: new Date(Date.now() + 4000).toISOString(), note: 'Ask Ben whether the label worked' },
        headers,
      })
      expect(soon.status()).toBe(200)
      await page.locator('.thread').getByText('Follow-up due: Ask Ben whether the label worked').waitFor({ timeout: 30_000 })
      const reopened = (await (await page.request.get(`${url}/api/conversations/${conversation!.id}`)).json()) as { conversation: { status: string } }
      expect(reopened.conversation.status).toBe('open')
    })
    await closePage(page)
  })

  it('sends a customer a picture from the file picker, with a caption, and the platform receives exactly those bytes', async () => {
    const simulator = /"simulator":"(http:\/\/[^"]+)"/.exec(carebox.output())?.[1] as string
    const page = await signedInPage('agent@demo.carebox.test')
    const question = `Can you send me the return label for ${Date.now()}?`
    const label = Buffer.concat([pngBytes, Buffer.from(question)])

    await withScreenshotOnFailure(page, 'file-journey', async () => {
      const written = await fetch(`${simulator}/_sim/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          accountExternalId: '130000000000002',
          message: { from: { id: `55117${Date.now() % 1_000_000}`, name: 'Lena File' }, text: question },
        }),
      })
      expect(written.status).toBe(200)
      // By the customer's name: out of the team's hours the row shows the automatic acknowledgement, not their words.
      await page.locator('.conversation-item').filter({ hasText: 'Lena File' }).click({ timeout: 30_000 })
      await page.locator('.thread').getByText(question).waitFor()

      // The picker, as a person uses it: the paperclip opens it, the file is chosen, its chip shows it.
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach a file' }).click()])
      await chooser.setFiles({ name: 'return-label.png', mimeType: 'image/png', buffer: label })
      await page.locator('.composer').getByText('return-label.png').waitFor()
      await page.getByRole('textbox', { name: 'Reply' }).fill('Here is your return label.')
      await page.locator('.composer').screenshot({ path: path.join(screenshotDir, 'file-attached.png') })
      await page.locator('.composer button[type=submit]').click()

      // The thread shows the picture, loaded from Carebox, and the platform got exactly these bytes with the caption.
      const shown = page.locator('.thread img[alt*="return-label.png"]')
      await shown.waitFor({ timeout: 20_000 })
      // Decoded by the browser from Carebox's copy: the 1×1 picture itself, not a broken image.
      await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1)
      const sha256 = createHash('sha256').update(label).digest('hex')
      await expect
        .poll(
          async () => {
            const { sends } = (await (await fetch(`${simulator}/_sim/sends`)).json()) as { sends: { media?: { sha256: string; caption?: string } }[] }
            return sends.filter((send) => send.media?.sha256 === sha256).map((send) => send.media?.caption)
          },
          { timeout: 20_000 },
        )
        .toEqual(['Here is your return label.'])
      await page.locator('.conversation-pane').screenshot({ path: path.join(screenshotDir, 'file-sent.png') })
    })
    await closePage(page)
  })

  it('answers a new customer with a canned reply using only the keyboard, and sees it sent, then delivered', async () => {
    const simulator = /"simulator":"(http:\/\/[^"]+)"/.exec(carebox.output())?.[1] as string
    const page = await signedInPage('agent@demo.carebox.test')
    const question = `Where is parcel ${Date.now()}?`

    await withScreenshotOnFailure(page, 'keyboard-journey', async () => {
      // A customer writes in on WhatsApp while the agent watches the inbox.
      const written = await fetch(`${simulator}/_sim/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          accountExternalId: '130000000000002',
          message: { from: { id: `55119${Date.now() % 1_000_000}`, name: 'Journey Tester' }, text: question },
        }),
      })
      expect(written.status).toBe(200)
      // By the customer's name: out of the team's hours the row shows the automatic acknowledgement, not their words.
      await page.locator('.conversation-item').filter({ hasText: 'Journey Tester' }).waitFor({ timeout: 30_000 })

      // Keyboard only: j down the list to it, Enter opens, r replies, /thanks picks the canned reply.
      for (let i = 0; i < 50; i++) {
        await page.keyboard.press('j')
        if ((await page.locator('.conversation-item.selected').textContent())?.includes('Journey Tester')) break
      }
      await page.keyboard.press('Enter')
      await page.locator('.conversation-pane[aria-label="Conversation with Journey Tester"]').waitFor()
      // Every status the reply shows from now on, as it changes on screen: read from the reply's own bubble, since an
      // automatic message after it would otherwise be taken for it.
      const expected = 'Hi Journey, thanks for reaching out! I am Alex and I will look into this for you right away.'
      await page.evaluate((replyText) => {
        const seen: string[] = []
        ;(window as { __statuses?: string[] }).__statuses = seen
        new MutationObserver(() => {
          const bubble = [...document.querySelectorAll('.thread li.message')].find((item) => item.textContent?.includes(replyText))
          const status = bubble?.querySelector('.status')?.textContent ?? ''
          if (status && seen.at(-1) !== status) seen.push(status)
        }).observe(document.body, { subtree: true, childList: true, characterData: true })
      }, expected)
      await page.keyboard.press('r')
      await page.keyboard.type('/thanks')
      await page.getByRole('option', { name: /thanks/ }).waitFor()
      await page.keyboard.press('Enter')
      await page.keyboard.press('Control+Enter')

      await page.locator('.thread').getByText(expected).waitFor()
      // One copy of the list, taken when it first shows delivery, so the checks below read what the poll saw.
      let statuses: string[] = []
      await expect
        .poll(
          async () => {
            statuses = (await page.evaluate(() => (window as { __statuses?: string[] }).__statuses)) ?? []
            return statuses.some((status) => status === 'delivered' || status === 'read')
          },
          { timeout: 20_000 },
        )
        .toBe(true)
      expect(statuses.indexOf('sent'), statuses.join(' → ')).toBeGreaterThanOrEqual(0)
      expect(statuses.indexOf('sent'), statuses.join(' → ')).toBeLessThan(statuses.findIndex((status) => status === 'delivered' || status === 'read'))
      const { sends } = (await (await fetch(`${simulator}/_sim/sends`)).json()) as { sends: { body: unknown }[] }
      expect(sends.filter((send) => JSON.stringify(send.body).includes(expected))).toHaveLength(1)
    })
    await closePage(page)
  })

  it('gives a complaint an urgent deadline the console counts down, and a reply meets it', async () => {
    const simulator = /"simulator":"(http:\/\/[^"]+)"/.exec(carebox.output())?.[1] as string
    const page = await signedInPage('lead@demo.carebox.test')
    const complaint = `Zboží dorazilo rozbité, chci reklamaci ${Date.now()}`

    await withScreenshotOnFailure(page, 'sla-journey', async () => {
      const written = await fetch(`${simulator}/_sim/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          accountExternalId: '130000000000002',
          message: { from: { id: `42077${Date.now() % 1_000_000}`, name: 'Sla Tester' }, text: complaint },
        }),
      })
      expect(written.status).toBe(200)
      // By the customer's name: out of the team's hours the row shows the automatic acknowledgement, not their words.
      const row = page.locator('.conversation-item').filter({ hasText: 'Sla Tester' })
      // The demo's complaint rule makes it urgent (Czech "reklamaci": the rule lists the stem), and the urgent
      // policy gives 15 minutes.
      await row
        .locator('.sla-badge > [aria-hidden="true"]')
        .filter({ hasText: /^1[45]m left$/ })
        .waitFor({ timeout: 30_000 })
      expect(await row.innerText()).toContain('Urgent')
      expect(
        await page
          .getByRole('button', { name: /At risk/ })
          .or(page.getByRole('link', { name: /At risk/ }))
          .count(),
      ).toBeGreaterThan(0)

      await row.click()
      const serviceLevel = page.getByRole('region', { name: 'Service level' })
      await serviceLevel.getByText('First response').waitFor()
      expect(await serviceLevel.innerText()).toContain('Running')
      const thread = page.locator('.thread')
      await thread.getByText('Priority set to urgent by the rule “Complaint words: urgent”').waitFor()

      await page.getByPlaceholder('Write a reply…').fill('Omlouváme se, hned to řešíme.')
      await page.keyboard.press('Control+Enter')
      await thread.getByText('Omlouváme se, hned to řešíme.').waitFor()
      // Answered: the first response is met, and resolution waits on the customer.
      await serviceLevel.getByText('Met', { exact: true }).waitFor({ timeout: 10_000 })
      // The row now previews our reply.
      const answered = page.locator('.conversation-item').filter({ hasText: 'Omlouváme se, hned to řešíme.' })
      await answered.locator('.sla-badge > [aria-hidden="true"]').filter({ hasText: 'SLA paused' }).waitFor({ timeout: 10_000 })
    })
    await closePage(page)
  })

  it('lets a lead say they are away, and shows it to the team', async () => {
    const page = await signedInPage('lead@demo.carebox.test')

    await withScreenshotOnFailure(page, 'presence', async () => {
      await page.goto(`${url}/settings/routing`)
      const agents = page.getByRole('table', { name: 'Agents' })
      const lee = agents.getByRole('row').filter({ hasText: 'Lee Lead' })
      await lee.getByText('Online').waitFor()
      await page.getByLabel('Your status').selectOption('away')
      await lee.getByText('Away').waitFor({ timeout: 10_000 })
      await page.getByLabel('Your status').selectOption('online')
      await lee.getByText('Online').waitFor({ timeout: 10_000 })
    })
    await closePage(page)
  })

  it('shows a lead the dashboard with the demo history, each definition word for word, the wallboard and the CSV export', async () => {
    const page = await signedInPage('lead@demo.carebox.test')

    await withScreenshotOnFailure(page, 'dashboard', async () => {
      await page.getByRole('link', { name: 'Dashboard' }).click()
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
      await page.getByRole('button', { name: '30 days' }).click()
      const rate = page.locator('section.metric-card').filter({ hasText: 'Response rate: conversations' })
      // Four weeks of demo history: a real rate, drawn against the ~1 in 10 line.
      await expect.poll(async () => (await rate.innerText()).match(/(\d+(\.\d)?)%/)?.[1], { timeout: 20_000 }).toMatch(/^\d/)
      expect(await rate.innerText()).toContain('Sprout Social Index')

      const firstResponse = page.locator('section.metric-card').filter({ hasText: 'First response time' })
      await firstResponse.getByRole('button', { name: 'How is First response time (FRT) computed?' }).click()
      const definition = page.getByRole('dialog', { name: 'First response time (FRT)' })
      await definition.waitFor()
      expect(await definition.innerText()).toContain(
        'from the first customer message of a conversation (or of a reopen) to the first public human reply (not notes, not auto-replies)',
      )

      await page.getByRole('table', { name: 'Customer messages by hour of the week' }).waitFor()
      const agents = page.getByRole('table', { name: 'Agents' })
      await agents.getByRole('row').filter({ hasText: 'Alex Agent' }).waitFor()
      await page.screenshot({ path: path.join(screenshotDir, 'dashboard.png'), fullPage: true })

      const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')
      const csv = await page.request.get(`${url}${csvHref}`)
      expect(csv.status()).toBe(200)
      const lines = (await csv.text()).trim().split('\r\n')
      expect(lines[0]).toMatch(/^conversation_id,cycle,channel,team,agent,tags,started_at/)
      expect(lines.length).toBeGreaterThan(100)

      await page.getByRole('link', { name: 'TV mode' }).click()
      await page.getByText('Waiting now').waitFor()
      await page.getByText('Response rate today').waitFor()
      await page.screenshot({ path: path.join(screenshotDir, 'wallboard.png') })
    })
    await closePage(page)
  })

  it('stops cleanly on Ctrl-C and leaves no postgres process behind', async () => {
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid')
    const postgresPid = Number((await readFile(pidFile, 'utf8')).split('\n')[0])

    // A terminal's Ctrl-C sends SIGINT to the whole foreground process group.
    process.kill(-(carebox.child.pid as number), 'SIGINT')
    await carebox.exited

    expect(postgresPid).toBeGreaterThan(0)
    expect(isProcessRunning(postgresPid), carebox.output().slice(-1500)).toBe(false)
    expect(carebox.output()).toContain('embedded PostgreSQL stopped')
  })
})
