import type { DeployContext } from "../stacks/context";
import { Finding } from "./findings";

/**
 * The capacity model: every envelope and budget check over the catalog and the environment
 * profiles, for one stack. Pure: the program logs these, the plan reports them, tests assert them.
 */
const checks: readonly ((ctx: DeployContext) => Finding[])[] = [];

export function evaluateCapacity(ctx: DeployContext): Finding[] {
    return checks.flatMap((check) => check(ctx));
}
