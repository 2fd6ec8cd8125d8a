import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { ROOT, listStacks, readStackFile } from "../../plan/engine";
import { BOOTSTRAP_PROJECT } from "../../bootstrap/config";
import { BOOTSTRAP_DIR } from "./harness";

/**
 * The workflows say where each job runs: `test` on a GitHub-hosted runner (offline), `preview` and
 * `up` on the stack's CodeBuild-hosted runner, whose project and region are the ones its bootstrap
 * stack creates (label format `codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}`).
 */

interface Job {
    "runs-on"?: string;
    with?: Record<string, string>;
    strategy?: { matrix: { include: Record<string, string>[] } };
}
const workflow = (name: string) => YAML.parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", `${name}.yml`), "utf8")) as { jobs: Record<string, Job> };

/** What each main stack's bootstrap stack creates: its runner project and region. */
function runnerOf(stack: string): { runner: string; region: string } {
    const ref = (readStackFile(stack).deploy as { bootstrapStack: string }).bootstrapStack;
    const bootstrapStack = ref.split("/")[2];
    const region = (readStackFile(bootstrapStack, BOOTSTRAP_DIR, BOOTSTRAP_PROJECT).aws as { region: string }).region;
    return { runner: `learning-platform-${bootstrapStack}`, region };
}

const runnerLabel = "codebuild-${{ matrix.runner }}-${{ github.run_id }}-${{ github.run_attempt }}";

describe("where each workflow job runs", () => {
    it("the test jobs run GitHub-hosted (no cloud access)", () => {
        expect(workflow("pull-request").jobs.test["runs-on"]).toBe("ubuntu-latest");
        expect(workflow("main").jobs.test["runs-on"]).toBe("ubuntu-latest");
    });

    it("preview runs each stack on its own CodeBuild runner, in its bootstrap stack's region", () => {
        const preview = workflow("pull-request").jobs.preview;
        expect(preview["runs-on"]).toBe(runnerLabel);
        const include = preview.strategy?.matrix.include ?? [];
        expect(include.map((e) => e.stack).sort()).toEqual(listStacks().sort());
        for (const e of include) {
            expect({ runner: e.runner, region: e.region }).toEqual(runnerOf(e.stack));
        }
    });

    it("up runs each stack on its own CodeBuild runner, in its bootstrap stack's region", () => {
        expect(workflow("up").jobs.up["runs-on"]).toBe("codebuild-${{ inputs.runner }}-${{ github.run_id }}-${{ github.run_attempt }}");
        const calls = Object.values(workflow("main").jobs).filter((j) => j.with?.stack !== undefined);
        expect(calls.map((j) => String(j.with?.stack)).sort()).toEqual(listStacks().sort());
        for (const j of calls) {
            const w = j.with ?? {};
            expect({ runner: w.runner, region: w.region }).toEqual(runnerOf(w.stack));
        }
    });
});
