// Typed faults of Sportello. Expected outcomes (no answer, refused user) are values, not errors;
// these are for faults a person or an operator has to act on. Each has a stable `code` that the
// adapters log, and a message that says what to do.

export type ErrorCode =
  | "CONFIG_INVALID"
  | "KNOWLEDGE_INVALID"
  | "DOCUMENT_UNREADABLE"
  | "INDEX_CORRUPT"
  | "INPUT_INVALID"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "CONFLICT"
  | "STORE_TOO_NEW"
  | "STORE_CORRUPT"
  | "SECRET_MISMATCH"
  | "STORE_FAILED";

export class SportelloError extends Error {
  override readonly name: string = "SportelloError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isSportelloError(value: unknown): value is SportelloError {
  return value instanceof SportelloError;
}
