import * as pulumi from "@pulumi/pulumi";
import { bareMocks } from "./sdk-runtime";

// The benchmark's floor: a process that loads the three provider SDKs under the SDK's mocks and
// registers nothing. Same bootstrap (swc hook, fork) as a plan child.
async function floor(): Promise<void> {
    await pulumi.runtime.setMocks(bareMocks, "floor", "floor", false);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = [require("@pulumi/aws"), require("@pulumi/gcp"), require("@pulumi/kubernetes")];
    process.send?.({ loaded: loaded.length, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }, undefined, {}, () => process.exit(0));
}

floor().catch((e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(2);
});
