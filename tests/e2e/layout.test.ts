import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../../server/src/db/embedded.js'
import { startProcess, type Started } from '../support/process.js'
import { launchChromium, screenshotDir, withScreenshotOnFailure } from './browser.js'

/*
 * Every page of the console, at a phone's width up to a wall screen's, for an admin and for an agent: nothing may be
 * wider than the window. The data is made to break a careless layout: a customer whose name is one unbroken word of
 * 120 characters, tags as long as a tag may be (40), a channel renamed to 100 unbroken characters (the longest name
 * a channel may have) and a message with a long URL.
 */

const widths = [390, 768, 1280, 1920] as const
const longName = `Maximiliana${'x'.repeat(109)}`
const longTag = `escalated-${'y'.repeat(30)}`
const longChannel = `AcmeWhatsApp${'z'.repeat(88)}`
const whatsappAccount = '130000000000002'
const customerId = `5511${Date.now() % 100_000_000}`

let dataDir: string
let carebox: Started
let url: string
let simulator: string
let browser: Browser
let demoPassword: string
let conversationId: string

/** A fresh browser signed in through the sign-in page, as a person would. */
async function signedInPage(email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  await page.goto(url)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(demoPassword)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor()
  return page
}

/** The customer writes (again) through the demo's WhatsApp simulator, so their conversation is at the top. */
async function customerWrites(text: string): Promise<void> {
  const written = await fetch(`${simulator}/_sim/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountExternalId: whatsappAccount, message: { from: { id: customerId, name: longName }, text } }),
  })
  expect(written.status).toBe(200)
}

/** A call to the API from the signed-in page, with its CSRF token. */
async function apiCall<T>(page: Page, method: 'GET' | 'PATCH' | 'POST', apiPath: string, data?: unknown): Promise<T> {
  const { csrfToken } = (await (await page.request.get(`${url}/api/auth/me`)).json()) as { csrfToken: string }
  const response = await page.request.fetch(`${url}${apiPath}`, { method, data, headers: { 'x-csrf-token': csrfToken } })
  expect(response.status(), await response.text()).toBe(200)
  return (await response.json()) as T
}

/** How wide the page is against the window, and the outermost elements that stick out (not inside a scrolling box). */
function measureOverflow(page: Page) {
  return page.evaluate(() => {
    const sticksOut = new Set<Element>()
    const culprits: string[] = []
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect()
      if (box.width === 0 || box.right <= innerWidth + 1) continue
      let isInsideScroller = false
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible' && parent.getBoundingClientRect().right <= innerWidth + 1) isInsideScroller = true
      }
      if (isInsideScroller) continue
      sticksOut.add(element)
      if (!sticksOut.has(element.parentElement as Element)) {
        culprits.push(`<${element.tagName.toLowerCase()} class="${element.getAttribute('class') ?? ''}"> right edge at ${Math.round(box.right)}`)
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, culprits: culprits.slice(0, 6) }
  })
}

async function expectNoHorizontalOverflow(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth, culprits } = await measureOverflow(page)
  expect(scrollWidth, `${where}: the page is ${scrollWidth} px wide in a ${innerWidth} px window; sticking out: ${culprits.join('; ')}`).toBeLessThanOrEqual(
    innerWidth,
  )
}

/** Waits until the page shows its data: the marker is there and nothing in the page still says it is loading. */
async function settle(page: Page, marker: ReturnType<Page['locator']>): Promise<void> {
  await marker.first().waitFor({ timeout: 30_000 })
  await page.waitForFunction(() => !document.querySelector('main, .wallboard')?.textContent?.includes('Loading…'), undefined, { timeout: 30_000 })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
}

async function keepScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true })
  await page.screenshot({ path: path.join(screenshotDir, `layout-${name}.png`) })
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-e2e-layout-'))
  await chmod(dataDir, 0o755)
  const port = await findFreePort()
  carebox = startProcess('pnpm', ['start'], { PORT: String(port), CAREBOX_DATA_DIR: dataDir })
  ;[, url = ''] = await carebox.waitFor(/Carebox is ready: open (\S+)/, 180_000)
  ;[, demoPassword = ''] = await carebox.waitFor(/Demo sign-in \(password (\S+) for each\)/)
  simulator = /"simulator":"(http:\/\/[^"]+)"/.exec(carebox.output())?.[1] ?? ''
  expect(simulator).not.toBe('')
  browser = await launchChromium()

  // The long-named customer writes with a long URL; the admin tags them and their conversation and renames the channel.
  await customerWrites(`Look: https://example.com/orders/${'a'.repeat(160)} and ${'b'.repeat(150)}`)
  const admin = await signedInPage('admin@demo.carebox.test')
  // The message goes through the platform's webhook and the queue: it shows up a moment later.
  for (const deadline = Date.now() + 30_000; !conversationId && Date.now() < deadline; await sleep(500)) {
    const { items } = await apiCall<{ items: { id: string; contact: { name: string | null } }[] }>(
      admin,
      'GET',
      `/api/conversations?q=${longName.slice(0, 20)}`,
    )
    conversationId = items.find((c) => c.contact.name === longName)?.id ?? ''
  }
  expect(conversationId, 'the long-named customer’s conversation arrived').not.toBe('')
  const { conversation } = await apiCall<{ conversation: { contact: { id: string }; channel: { id: string } } }>(
    admin,
    'GET',
    `/api/conversations/${conversationId}`,
  )
  await apiCall(admin, 'PATCH', `/api/conversations/${conversationId}`, { tags: [longTag, `also-${'y'.repeat(35)}`], priority: 'urgent' })
  await apiCall(admin, 'PATCH', `/api/contacts/${conversation.contact.id}`, {
    tags: [longTag],
    attributes: { Website: `https://example.com/${'c'.repeat(300)}` },
  })
  await apiCall(admin, 'PATCH', `/api/channels/${conversation.channel.id}`, { name: longChannel })
  // The agent's own: in their inbox whichever view it opens on.
  const { items: users } = await apiCall<{ items: { id: string; email: string }[] }>(admin, 'GET', '/api/users')
  const agentId = users.find((user) => user.email === 'agent@demo.carebox.test')?.id
  await apiCall(admin, 'POST', `/api/conversations/${conversationId}/assign`, { assigneeId: agentId })
  await admin.context().close()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  const isRunning = carebox && carebox.child.exitCode === null && carebox.child.signalCode === null
  if (isRunning) {
    // Stopped as a terminal's Ctrl-C would, so its embedded PostgreSQL stops too and leaves the data directory.
    process.kill(-(carebox.child.pid as number), 'SIGINT')
    const hasStopped = await Promise.race([carebox.exited.then(() => true), sleep(60_000).then(() => false)])
    if (!hasStopped) process.kill(-(carebox.child.pid as number), 'SIGKILL')
  }
  await rm(dataDir, { recursive: true, force: true })
}, 90_000)

describe.each([
  { role: 'admin', email: 'admin@demo.carebox.test' },
  { role: 'agent', email: 'agent@demo.carebox.test' },
])('every page, as $role', ({ role, email }) => {
  let page: Page
  /** The settings tabs this person has, read from the page itself. */
  let settingsPaths: string[] = []
  let canSeeDashboard = false

  beforeAll(async () => {
    page = await signedInPage(email)
    const nav = page.getByRole('navigation', { name: 'Main' })
    canSeeDashboard = (await nav.getByRole('link', { name: /Dashboard/ }).count()) > 0
    if ((await nav.getByRole('link', { name: /Settings/ }).count()) > 0) {
      await page.goto(`${url}/settings`)
      const tabs = page.getByRole('navigation', { name: 'Settings' }).getByRole('link')
      await tabs.first().waitFor()
      settingsPaths = (await tabs.evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))).filter(Boolean)
    }
  }, 120_000)

  afterAll(async () => {
    await page?.context().close()
  })

  it.each(widths)('fits a %i px wide window', async (width) => {
    await page.setViewportSize({ width, height: width < 500 ? 844 : width < 1000 ? 1024 : width < 1600 ? 900 : 1080 })
    const shots = role === 'admin' && width === 390

    await withScreenshotOnFailure(page, `layout-${role}-${width}`, async () => {
      await customerWrites(`Still waiting ${Date.now()}`)
      await page.goto(`${url}/inbox`)
      await settle(page, page.locator('.conversation-item').filter({ hasText: longName.slice(0, 30) }))
      await expectNoHorizontalOverflow(page, 'inbox')
      if (shots) await keepScreenshot(page, `inbox-${width}`)

      await page.goto(`${url}/inbox/${conversationId}`)
      await settle(page, page.getByRole('list', { name: 'Messages' }).getByText('Still waiting'))
      await expectNoHorizontalOverflow(page, 'conversation')
      // The composer's Send is on screen, not pushed off it by the long names.
      const send = page.locator('.composer button[type=submit]')
      const box = await send.boundingBox()
      expect(box, 'the Send button is laid out').not.toBeNull()
      if (width === 390) {
        expect(box!.x).toBeGreaterThanOrEqual(0)
        expect(box!.x + box!.width).toBeLessThanOrEqual(width)
        expect(box!.y + box!.height).toBeLessThanOrEqual(844)
      }
      if (shots) await keepScreenshot(page, `conversation-${width}`)

      if (canSeeDashboard) {
        await page.goto(`${url}/dashboard`)
        await settle(page, page.locator('section.metric-card'))
        await expectNoHorizontalOverflow(page, 'dashboard')
        if (shots) await keepScreenshot(page, `dashboard-${width}`)

        await page.goto(`${url}/wallboard`)
        await settle(page, page.getByText('Waiting now'))
        await expectNoHorizontalOverflow(page, 'wallboard')
        if (shots) await keepScreenshot(page, `wallboard-${width}`)
      }

      for (const settingsPath of settingsPaths) {
        await page.goto(`${url}${settingsPath}`)
        await settle(page, page.locator('main .panel, main section'))
        await expectNoHorizontalOverflow(page, settingsPath)
        if (shots && settingsPath === settingsPaths[0]) await keepScreenshot(page, `settings-${width}`)
      }
    })
  })
})

describe('the console at 390 and 1440 px, as an admin works in it', () => {
  it('goes from the list to a conversation and back on a phone, and opens the customer over it', async () => {
    const page = await signedInPage('admin@demo.carebox.test')
    await page.setViewportSize({ width: 390, height: 844 })

    await withScreenshotOnFailure(page, 'layout-phone-journey', async () => {
      await customerWrites(`On my phone ${Date.now()}`)
      const row = page.locator('.conversation-item').filter({ hasText: longName.slice(0, 30) })
      await row.first().click({ timeout: 30_000 })
      await page.getByRole('list', { name: 'Messages' }).getByText('On my phone').waitFor()
      expect(page.url()).toBe(`${url}/inbox/${conversationId}`)
      // One pane at a time: the list is gone, the way back is there.
      expect(await page.getByRole('list', { name: 'Conversations' }).isVisible()).toBe(false)

      await page.getByRole('button', { name: 'Customer details' }).click()
      const customer = page.getByRole('complementary', { name: 'Customer' })
      await customer.getByText(longTag).first().waitFor()
      expect(await customer.isVisible()).toBe(true)
      await keepScreenshot(page, 'customer-390')
      await expectNoHorizontalOverflow(page, 'customer details')
      await page.getByRole('button', { name: 'Close customer details' }).click()
      expect(await customer.isVisible()).toBe(false)

      await page.getByRole('button', { name: 'Your account' }).click()
      expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true)
      await keepScreenshot(page, 'account-menu-390')
      await page.getByRole('button', { name: 'Your account' }).click()

      await page.getByRole('button', { name: 'Back to conversations' }).click()
      await page.getByRole('list', { name: 'Conversations' }).waitFor()
      expect(page.url()).toBe(`${url}/inbox`)
    })
    await page.context().close()
  })

  it('folds the customer panel away at 1440 px to give the conversation the room, and keeps it folded after a reload', async () => {
    const page = await signedInPage('admin@demo.carebox.test')
    await page.setViewportSize({ width: 1440, height: 900 })

    await withScreenshotOnFailure(page, 'layout-fold-panel', async () => {
      await page.goto(`${url}/inbox/${conversationId}`)
      await settle(page, page.getByRole('complementary', { name: 'Customer' }).getByText(longTag))
      const pane = page.locator('.conversation-pane')
      const paneWidth = (await pane.boundingBox())!.width
      for (const name of ['inbox', 'conversation', 'dashboard', 'settings', 'wallboard'] as const) {
        const target = {
          inbox: '/inbox',
          conversation: `/inbox/${conversationId}`,
          dashboard: '/dashboard',
          settings: '/settings/channels',
          wallboard: '/wallboard',
        }[name]
        await page.goto(`${url}${target}`)
        const marker = {
          inbox: page.locator('.conversation-item'),
          conversation: page.getByRole('list', { name: 'Messages' }).locator('li'),
          dashboard: page.locator('section.metric-card'),
          settings: page.locator('.channel-row'),
          wallboard: page.getByText('Waiting now'),
        }[name]
        await settle(page, marker)
        await keepScreenshot(page, `${name}-1440`)
      }

      await page.goto(`${url}/inbox/${conversationId}`)
      await settle(page, page.getByRole('complementary', { name: 'Customer' }).getByText(longTag))
      await page.getByRole('button', { name: 'Hide customer panel' }).click()
      expect(await page.getByRole('complementary', { name: 'Customer' }).isVisible()).toBe(false)
      expect((await pane.boundingBox())!.width).toBeGreaterThan(paneWidth + 200)
      await keepScreenshot(page, 'conversation-folded-1440')
      await page.reload()
      await page.getByRole('button', { name: 'Show customer panel' }).waitFor()

      expect(await page.getByRole('complementary', { name: 'Customer' }).isVisible()).toBe(false)
      expect((await pane.boundingBox())!.width).toBeGreaterThan(paneWidth + 200)
    })
    await page.context().close()
  })
})
