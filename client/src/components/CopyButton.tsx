import { useState } from 'react'

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setState('copied')
    } catch {
      setState('failed')
    }
  }
  return (
    <>
      <button type="button" onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : label}
      </button>
      {state === 'failed' && <span className="error">Could not copy: select the text and copy it.</span>}
    </>
  )
}
