/**
 * Tests transform TypeScript with swc and do not type-check (fast); `npm run typecheck` is separate.
 * The global setup plans every stack once, in parallel child processes (the plan's own engine), and
 * tests read those runs (a stack that fails to plan fails the suite there); tests that need a
 * different input run the program in a child process (`runProgram`).
 */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/tests"],
    testMatch: ["**/*.test.ts"],
    transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }] },
    globalSetup: "<rootDir>/tests/global-setup.js",
    globalTeardown: "<rootDir>/tests/global-teardown.js",
    // What a hang may cost: the slowest test (a program run in a child process) takes about 15 s on
    // this 2-core machine when it is otherwise idle; twice that is a hang, not a slow run.
    testTimeout: 30000,
    maxWorkers: 2,
};
