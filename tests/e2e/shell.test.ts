import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort, isProcessRunning } from '../../server/src/db/embedded.js'
import { startProcess, type Started } from '../support/process.js'
import { launchChromium, withScreenshotOnFailure } from './browser.js'

let dataDir: string
let carebox: Started
let url: string
let browser: Browser

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'carebox-e2e-'))
  await chmod(dataDir, 0o755)
  const port = await findFreePort()
  // Started exactly as the README says, with only the port and data directory moved aside.
  carebox = startProcess('pnpm', ['start'], { PORT: String(port), CAREBOX_DATA_DIR: dataDir })
  ;[, url = ''] = await carebox.waitFor(/Carebox is ready: open (\S+)/, 180_000)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  const isRunning = carebox && carebox.child.exitCode === null && carebox.child.signalCode === null
  if (isRunning) process.kill(-(carebox.child.pid as number), 'SIGKILL')
  await rm(dataDir, { recursive: true, force: true })
})

describe('the console shell, started with pnpm start', () => {
  it('renders the inbox with its navigation', async () => {
    const page = await browser.newPage()

    await withScreenshotOnFailure(page, 'shell-inbox', async () => {
      await page.goto(url)
      await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor()
      const nav = page.getByRole('navigation', { name: 'Main' })

      expect(await nav.getByRole('link').allInnerTexts()).toEqual([
        expect.stringContaining('Inbox'),
        expect.stringContaining('Dashboard'),
        expect.stringContaining('Settings'),
      ])
    })
    await page.close()
  })

  it('fills the inbox with demo traffic that arrives live, without a reload', async () => {
    const page = await browser.newPage()

    await withScreenshotOnFailure(page, 'live-inbox', async () => {
      await page.goto(url)
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
      await expect.poll(() => page.getByRole('status').innerText()).toBe('Live')
    })
    await page.close()
  })

  it('lists the connected channels in Settings with their webhook URL and activity', async () => {
    const page = await browser.newPage()

    await withScreenshotOnFailure(page, 'settings-channels', async () => {
      await page.goto(`${url}/settings/channels`)
      const whatsapp = page.getByRole('listitem', { name: 'Acme on WhatsApp' })
      await whatsapp.waitFor()

      expect(await whatsapp.innerText()).toContain(`${url}/webhooks/meta`)
      expect(await page.locator('.channel-row').count()).toBe(7)
    })
    await page.close()
  })

  it('shows the embedded database in Settings, reached through the navigation', async () => {
    const page = await browser.newPage()

    await withScreenshotOnFailure(page, 'shell-settings', async () => {
      await page.goto(url)
      await page.getByRole('link', { name: /Settings/ }).click()
      await page.getByRole('link', { name: 'System' }).click()
      await page.getByText(/PostgreSQL \d+(\.\d+)? \(embedded\)/).waitFor()

      expect(page.url()).toBe(`${url}/settings/system`)
    })
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    await page.close()
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
