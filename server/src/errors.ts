import { errorCodes, type ErrorCode } from '@carebox/shared'

/** A failure the caller can act on. Services throw it; the single error handler turns it into HTTP. */
export class AppError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'AppError'
    this.code = code
  }

  get statusCode(): number {
    return errorCodes[this.code]
  }
}

/** A start-up failure with one actionable line for the operator; main prints it and exits non-zero. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StartupError'
  }
}
