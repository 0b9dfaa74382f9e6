/** One context for the page: browsers cap how many can exist, and a new one starts suspended until a click. */
let context: AudioContext | null = null

function audioContext(): AudioContext | null {
  const Context = window.AudioContext ?? (window as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext
  if (!Context) return null
  context ??= new Context()
  if (context.state === 'suspended') void context.resume().catch(() => {})
  return context
}

/** A short, quiet two-note chime, made on the spot with WebAudio: no audio file to load. */
export function playChime(): void {
  try {
    const audio = audioContext()
    if (!audio) return
    const start = audio.currentTime
    const end = start + 0.45
    const gain = audio.createGain()
    gain.connect(audio.destination)
    gain.gain.setValueAtTime(0.0001, start)
    gain.gain.exponentialRampToValueAtTime(0.15, start + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, end)
    ;[880, 1318.5].forEach((frequency, i) => {
      const tone = audio.createOscillator()
      tone.type = 'sine'
      tone.frequency.value = frequency
      tone.connect(gain)
      tone.start(start + i * 0.12)
      tone.stop(end)
    })
  } catch {
    // No sound is no loss: the toast is still shown.
  }
}
