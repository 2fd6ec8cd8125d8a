/**
 * Rules that report facts rather than problems. CrossGuard knows only mandatory / advisory /
 * disabled, so these are `advisory` in the pack; the offline runner reports them as `info`.
 */
export const informationalPolicies: ReadonlySet<string> = new Set(["startup/awaiting-operations", "graph/outside-program"]);
