// Polling waits: playwright-core has no @playwright/test `expect`, and the UI changes on its own
// (live refresh, the monitor's deadlines), so assertions on it are retried until they hold.

/**
 * Calls `fn` until it returns a truthy value (or a promise of one) without throwing, and returns
 * that value. After `timeoutMs` it throws, naming `what` and the last value or error seen, so a
 * failure says what the page showed instead of only "timed out".
 */
export async function waitFor(fn, timeoutMs, what = 'condition', intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last seen: ${seen})`);
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
