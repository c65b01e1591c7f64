import { apiError, type AmazonPayError } from './errors.js';
import type { OperationName } from './operationNames.js';

/**
 * The answer of an SDK operation the emulator routes but does not serve (yet): Amazon's error
 * shape, a code of its own (never ResourceNotFound, which means an unknown id), the operation's
 * name and the SDK methods that call it, so a test failure says what is missing.
 */
export function notEmulated(operation: OperationName, route: string, sdkMethods: readonly string[]): AmazonPayError {
  return apiError(
    'OperationNotEmulated',
    `The emulator does not serve ${operation} (${route}, SDK ${sdkMethods.join(' / ')}) yet. The request was signed correctly; nothing was stored.`,
  );
}
