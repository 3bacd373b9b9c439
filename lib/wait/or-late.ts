/**
 * `work`'s result, or `late` once `ms` passed without one (a probe, a client's close or commit that never
 * answers); the timer never outlives the race. `work` rejecting rejects this too.
 */
export async function orLate<T, L>(work: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<L>((resolve) => {
    timer = setTimeout(() => {
      resolve(late);
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
