import { useSyncExternalStore } from 'react'

/**
 * This device's choices about being alerted: kept in the browser (localStorage, and the browser's own permission),
 * not on the server, since they belong to the device rather than the account.
 */
const soundKey = 'carebox.notificationSound'
const listeners = new Set<() => void>()
const notify = () => listeners.forEach((listener) => listener())

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  // Another tab changed the setting.
  window.addEventListener('storage', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', listener)
  }
}

export function isSoundOn(): boolean {
  try {
    return window.localStorage.getItem(soundKey) === 'on'
  } catch {
    return false
  }
}

export function setSoundOn(isOn: boolean): void {
  try {
    window.localStorage.setItem(soundKey, isOn ? 'on' : 'off')
  } catch {
    // Storage refused (private mode): the choice lasts until the page closes.
  }
  notify()
}

export function useSoundSetting(): boolean {
  return useSyncExternalStore(subscribe, isSoundOn, () => false)
}

export type DesktopPermission = NotificationPermission | 'unsupported'

export function desktopPermission(): DesktopPermission {
  return typeof window.Notification === 'undefined' ? 'unsupported' : window.Notification.permission
}

// Chromium answers Notification.permission with a round trip to the browser process (milliseconds each), and React
// reads a snapshot on every render: the hook reads a copy, refreshed when it could have changed.
let knownPermission: DesktopPermission | undefined
const permissionSnapshot = () => (knownPermission ??= desktopPermission())

function subscribeToPermission(listener: () => void): () => void {
  // A new subscriber, the page regaining focus (the person may have changed it in the browser's settings) or our
  // own request: read it afresh.
  const refresh = () => {
    knownPermission = desktopPermission()
    listener()
  }
  knownPermission = desktopPermission()
  window.addEventListener('focus', refresh)
  const unsubscribe = subscribe(refresh)
  return () => {
    window.removeEventListener('focus', refresh)
    unsubscribe()
  }
}

/** Asks the browser; call it from a click (browsers ignore a request made without one). */
export async function requestDesktopPermission(): Promise<void> {
  if (desktopPermission() !== 'default') return
  await window.Notification.requestPermission()
  notify()
}

export function useDesktopPermission(): DesktopPermission {
  return useSyncExternalStore(subscribeToPermission, permissionSnapshot, () => 'unsupported')
}
