import * as path from "path";
import { StackRun } from "../../plan/engine";
import { requestRun } from "../run-server";

/**
 * The ServiceWorkload component on its own: every EKS card deployed on a hand-made regional
 * platform handle (tests/k8s/fixtures/standalone-program.ts), through the real engine on the suite's
 * run server. Independent of the AWS platform, so the component's tests hold whichever way it is wired.
 */
export function runStandalone(stack: string, config?: Record<string, unknown>): Promise<StackRun> {
    return requestRun<StackRun>({ stack, config, entry: path.join(__dirname, "fixtures", "standalone-program.ts"), keepProps: true });
}
