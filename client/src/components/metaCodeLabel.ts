/** `UTILITY` → "Utility", `IN_APPEAL` → "In appeal": a platform's upper-case codes (template categories, statuses) as words. */
export function metaCodeLabel(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
