import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { repoRoot } from '../../server/src/config.js'

export const screenshotDir = path.join(repoRoot, 'tests', 'e2e', 'screenshots')

/** Debian's Chromium, never a downloaded browser; the flags keep it off the (closed) network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** Runs a browser step; on failure keeps a screenshot named after it, then rethrows. */
export async function withScreenshotOnFailure<T>(page: Page, name: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    await mkdir(screenshotDir, { recursive: true })
    const file = path.join(screenshotDir, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`)
    await page.screenshot({ path: file, fullPage: true }).catch(() => {})
    throw new Error(`${(error as Error).message}\nScreenshot: ${file}`, { cause: error })
  }
}
