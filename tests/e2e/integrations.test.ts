import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../../server/src/db/embedded.js'
import { startWebhookReceiver, type WebhookReceiver } from '../../server/src/simulator/index.js'
import { startProcess, type Started } from '../support/process.js'
import { launchChromium, screenshotDir, withScreenshotOnFailure } from './browser.js'

// Settings → Integrations in a real browser against `pnpm start`: the demo's own endpoint and its example receiver,
// then an admin's endpoint on a receiver of this machine (the private-network exception), a test event, its signed
// delivery verified with the secret the page showed once, and the page at a phone's width.
const { Webhook } = createRequire(new URL('../../server/package.json', import.meta.url))('standardwebhooks') as {
  Webhook: new (secret: string) => { verify(payload: string, headers: Record<string, string>): unknown }
}

let dataDir: string
let carebox: Started
let url: string
let browser: Browser
let demoPassword: string
let receiver: WebhookReceiver

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-e2e-'))
  await chmod(dataDir, 0o755)
  const port = await findFreePort()
  carebox = startProcess('pnpm', ['start'], { PORT: String(port), CAREBOX_DATA_DIR: dataDir })
  ;[, url = ''] = await carebox.waitFor(/Carebox is ready: open (\S+)/, 180_000)
  ;[, demoPassword = ''] = await carebox.waitFor(/Demo sign-in \(password (\S+) for each\)/)
  browser = await launchChromium()
  receiver = await startWebhookReceiver()
})

afterAll(async () => {
  await receiver?.close()
  await browser?.close()
  const isRunning = carebox && carebox.child.exitCode === null && carebox.child.signalCode === null
  if (isRunning) process.kill(-(carebox.child.pid as number), 'SIGKILL')
  await rm(dataDir, { recursive: true, force: true })
})

async function signedInAdmin(width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } })
  const page = await context.newPage()
  await page.goto(url)
  await page.getByLabel('Email').fill('admin@demo.carebox.test')
  await page.getByLabel('Password').fill(demoPassword)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor()
  return page
}

async function openIntegrations(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: /Settings/ })
    .click()
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Integrations' }).click()
  await page.getByRole('heading', { name: 'Outbound webhooks' }).waitFor()
}

/** How far the page reaches past the viewport's right edge, in CSS pixels (0: no horizontal scrolling). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
}

describe('Settings → Integrations, started with pnpm start', () => {
  it('shows the demo’s endpoint, whose test event its example receiver verifies', async () => {
    const page = await signedInAdmin(1440, 900)

    await withScreenshotOnFailure(page, 'integrations-demo', async () => {
      await openIntegrations(page)
      const card = page.getByRole('listitem', { name: /^http:\/\/127\.0\.0\.1:\d+\/demo-receiver$/ })
      await card.getByRole('button', { name: 'Send test event' }).click()

      await card.getByText(/^Test event delivered: the receiver answered HTTP 200 in \d+ ms\.$/).waitFor({ timeout: 30_000 })
      const receiverPage = await card.getByRole('link', { name: 'open the receiver’s page' }).getAttribute('href')
      await page.goto(receiverPage as string)
      const testRow = page.getByRole('row').filter({ hasText: 'webhook.test' }).first()
      await testRow.waitFor()
      expect(await testRow.innerText()).toContain('Verified')
    })
    await page.context().close()
  })

  it('lets an admin add an endpoint on this machine, send a test event and see it delivered, signed with the secret shown once', async () => {
    const page = await signedInAdmin(1440, 900)

    await withScreenshotOnFailure(page, 'integrations-add', async () => {
      await openIntegrations(page)
      await page.getByRole('button', { name: 'Add an endpoint' }).click()
      const form = page.getByRole('form', { name: 'Add an endpoint' })
      await form.getByLabel('URL').fill(receiver.url)
      await form.getByLabel('Description').fill('Ops receiver')
      await form.getByLabel('All events, including types added later').uncheck()
      await form.getByLabel(/A conversation starts/).check()
      await form.getByLabel('Allow a private network address').check()
      await form.getByRole('button', { name: 'Add endpoint' }).click()

      const notice = page.getByRole('region', { name: `Signing secret of ${receiver.url}` })
      const secret = (await notice.getByText(/^whsec_/).innerText()).trim()
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
      await notice.getByRole('button', { name: 'Done' }).click()
      expect(await page.getByText(secret).count()).toBe(0)

      const card = page.getByRole('listitem', { name: receiver.url })
      await card.getByRole('button', { name: 'Send test event' }).click()
      await card.getByText(/^Test event delivered: the receiver answered HTTP 200/).waitFor({ timeout: 30_000 })
      const entry = card.getByRole('list', { name: `Deliveries to ${receiver.url}` }).getByRole('listitem', { name: 'webhook.test, delivered' })
      await entry.waitFor()
      expect(await entry.innerText()).toContain('HTTP 200')
      await mkdir(screenshotDir, { recursive: true })
      await page.screenshot({ path: path.join(screenshotDir, 'integrations-1440.png'), fullPage: true })

      // What the receiver got verifies with the secret the page showed, as the receiver's own code would check it.
      // New conversations of the demo's traffic may arrive too (the endpoint subscribed to them): every one verifies.
      const events = receiver.received.map(
        (request) => new Webhook(secret).verify(request.rawBody.toString('utf8'), request.headers as Record<string, string>) as { type: string; id: string },
      )
      const test = events.find((event) => event.type === 'webhook.test')
      expect(test).toBeDefined()
      expect(events.every((event) => event.type === 'webhook.test' || event.type === 'conversation.created')).toBe(true)
      expect(await entry.innerText()).toContain(test!.id)
    })
    await page.context().close()
  })

  it('fits a phone’s width: nothing scrolls sideways, with an endpoint and its delivery log open', async () => {
    const page = await signedInAdmin(390, 844)

    await withScreenshotOnFailure(page, 'integrations-390', async () => {
      await page.goto(`${url}/settings/integrations`)
      await page.getByRole('heading', { name: 'Outbound webhooks' }).waitFor()
      const card = page.getByRole('listitem', { name: receiver.url })
      await card.getByRole('button', { name: 'Delivery log' }).click()
      await card.getByRole('listitem', { name: 'webhook.test, delivered' }).waitFor()
      await card.getByRole('button', { name: 'Edit' }).click()
      await card.getByRole('form', { name: `Edit ${receiver.url}` }).waitFor()
      await page.getByRole('button', { name: 'Add an endpoint' }).click()
      await page.getByRole('form', { name: 'Add an endpoint' }).getByLabel('All events, including types added later').uncheck()

      await page.screenshot({ path: path.join(screenshotDir, 'integrations-390.png'), fullPage: true })
      expect(await horizontalOverflow(page)).toBe(0)
    })
    await page.context().close()
  })
})
