import { describe, expect, it } from 'vitest'
import { isSameData, keepUnchanged } from '../../client/src/store/same-data'

describe('keeping what the server sent again', () => {
  const a = { id: 'a', text: 'hello', reactions: [] as string[] }
  const b = { id: 'b', text: 'world', reactions: ['👍'] }

  it('keeps the list held when an answer repeats it', () => {
    const held = [a, b]
    expect(keepUnchanged(held, structuredClone(held))).toBe(held)
  })

  it('keeps unchanged items and takes changed and new ones', () => {
    const held = [a, b]
    const changedB = { ...b, reactions: ['👍', '❤️'] }
    const c = { id: 'c', text: 'new', reactions: [] }
    const next = keepUnchanged(held, [structuredClone(a), changedB, c])
    expect(next).not.toBe(held)
    expect(next[0]).toBe(a)
    expect(next[1]).toBe(changedB)
    expect(next[2]).toBe(c)
  })

  it('sees a removed item or a new order as a change', () => {
    expect(keepUnchanged([a, b], [structuredClone(a)])).toEqual([a])
    const reordered = keepUnchanged([a, b], [structuredClone(b), structuredClone(a)])
    expect(reordered[0]).toBe(b)
    expect(reordered[1]).toBe(a)
  })

  it('takes the answer as it is when nothing was held', () => {
    const answer = [a]
    expect(keepUnchanged(undefined, answer)).toBe(answer)
  })

  it('compares by value', () => {
    expect(isSameData({ x: [1, { y: null }] }, { x: [1, { y: null }] })).toBe(true)
    expect(isSameData({ x: 1 }, { x: 2 })).toBe(false)
  })
})
