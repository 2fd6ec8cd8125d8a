import * as pulumi from "@pulumi/pulumi";

/**
 * What the engine, the benchmark's floor and its SDK lower bound share about the SDK's runtime.
 * Kept free of the engine's imports so the floor and the lower bound load nothing else.
 */

/** Mocks that echo inputs as state: the floor and the lower bound (the plan's own are in plan/mocks). */
export const bareMocks: pulumi.runtime.Mocks = {
    newResource: (args) => ({ id: args.name, state: args.inputs }),
    call: (args) => args.inputs,
};

/**
 * Turns off the stack traces the SDK captures for every promise it tracks (leak diagnostics) and
 * every resource (source positions for the CLI's display); an offline run uses neither, and they
 * were a third of a plan. `Resource.callsites()` lifts the trace limit for its own capture, so the
 * formatter is swapped too. Errors keep their first line. PLAN_STACK_TRACES=1 leaves both alone.
 * Returns the function that restores them.
 */
export function quietStackTraces(): () => void {
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    if (process.env.PLAN_STACK_TRACES !== "1") {
        Error.stackTraceLimit = 0;
        Error.prepareStackTrace = (error: Error) => (error.message ? `${error.name}: ${error.message}` : error.name);
    }
    return () => {
        Error.stackTraceLimit = limit;
        Error.prepareStackTrace = prepare;
    };
}
