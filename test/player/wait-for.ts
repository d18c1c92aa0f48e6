// Polls a condition for the end-to-end tests; a timeout fails with what was waited for.

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
