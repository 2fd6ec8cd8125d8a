// Lint: typescript-eslint's recommended rules, plus the project's red lines (no `any`, no
// ts-comments that silence the compiler, no focused or skipped tests).
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", "out/", "**/*.js", "**/*.mjs"] },
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/ban-ts-comment": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            "no-restricted-properties": [
                "error",
                { object: "it", property: "skip", message: "a skipped test proves nothing" },
                { object: "it", property: "only", message: "a focused test hides the others" },
                { object: "describe", property: "skip", message: "a skipped test proves nothing" },
                { object: "describe", property: "only", message: "a focused test hides the others" },
                { object: "test", property: "skip", message: "a skipped test proves nothing" },
            ],
        },
    },
);
