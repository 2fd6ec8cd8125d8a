import { OutputFn } from "./types";

/**
 * What a referenced bootstrap stack (bootstrap/index.ts) exports, for an offline run: its runner
 * NAT gateways' addresses as /32s (two, one per zone) in the documentation range 203.0.113.0/24,
 * stable per referenced stack name, and the runner label. Exported so tests can name the
 * addresses a plan must allow and no more.
 */
export function mockBootstrapOutputs(stackName: string): { runnerEgressCidrs: string[]; runnerProject: string; runnerLabel: string } {
    let h = 7;
    for (const c of stackName) {
        h = (h * 31 + c.charCodeAt(0)) % 100_000;
    }
    const first = 10 + (h % 120) * 2;
    const deploy = stackName.split("/").pop() ?? stackName;
    const runnerProject = `learning-platform-${deploy}`;
    return {
        runnerEgressCidrs: [`203.0.113.${first}/32`, `203.0.113.${first + 1}/32`],
        runnerProject,
        runnerLabel: `codebuild-${runnerProject}-\${{ github.run_id }}-\${{ github.run_attempt }}`,
    };
}

/** Built-in Pulumi resources the program reads. */
export const pulumiOutputs: Record<string, OutputFn> = {
    // A StackReference reads the referenced stack's outputs into its `outputs` property.
    "pulumi:pulumi:StackReference": (args) => ({ outputs: mockBootstrapOutputs(String(args.inputs.name ?? args.name)) }),
};
