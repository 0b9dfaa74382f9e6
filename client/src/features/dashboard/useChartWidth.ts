import { useEffect, useRef, useState } from 'react'

/** Until the box is measured (and where nothing measures, as in tests), charts draw at this width. */
const defaultWidth = 640

/**
 * The width of a chart's box, kept up to date: charts draw at a measured size, so none waits on a container that
 * is not laid out yet.
 */
export function useChartWidth() {
  const box = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(defaultWidth)
  useEffect(() => {
    const element = box.current
    if (!element || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.floor(entry?.contentRect.width ?? 0)
      if (measured > 0) setWidth(measured)
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  return { box, width }
}
