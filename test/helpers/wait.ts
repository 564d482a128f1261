// Waiting in tests for what happens in the background (a mail sent, a delivery made): asked every 20 ms.

/** Resolves once `what` holds; rejects after `ms`. */
export async function until(what: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!await what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
