/** An on/off environment variable (CI, FOUNDATION_DEBUG): on unless unset, empty, `0` or `false`. Pure. */
export const truthy = (v: string | undefined): boolean =>
  v !== undefined && v !== '' && v !== '0' && v !== 'false';
